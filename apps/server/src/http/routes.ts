/**
 * Registers every feature's routes. Each feature exports one Fastify plugin; add yours here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from './app.js';

export async function registerRoutes(app: FastifyInstance, deps: AppDependencies): Promise<void> {
  app.get('/api/health', async () => ({
    status: 'ok',
    version: process.env.npm_package_version ?? '0.1.0',
    dialect: deps.database.dialect,
    mode: deps.config.demo ? 'demo' : 'live',
  }));
}

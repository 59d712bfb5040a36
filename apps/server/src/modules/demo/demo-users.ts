/**
 * The demo accounts (issue 4: demo mode only): one admin and three agents, password `demo`, with realistic
 * names and a mix of interface languages.
 */
export const DEMO_PASSWORD = 'demo';

export interface DemoUser {
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'agent';
  readonly locale: 'en' | 'fr' | 'ru';
}

export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  { email: 'admin@example.com', name: 'Emma Clarke', role: 'admin', locale: 'en' },
  { email: 'agent1@example.com', name: 'Julien Moreau', role: 'agent', locale: 'fr' },
  { email: 'agent2@example.com', name: 'Olga Smirnova', role: 'agent', locale: 'ru' },
  { email: 'agent3@example.com', name: 'Thomas Bennett', role: 'agent', locale: 'en' },
]);

export const DEMO_COMPANY = Object.freeze({
  companyName: 'Lumière & Co',
  defaultCountry: 'FR',
  defaultCurrency: 'EUR',
});

/**
 * Cheaper scrypt cost for the demo accounts only. Why: their password is published, so hashing cost protects
 * nothing, and four full-cost hashes (~0.8 s of CPU) would blow the first start's time budget.
 */
export const DEMO_SCRYPT = Object.freeze({ N: 2 ** 12, r: 8, p: 1 });

/** The lines the server logs at start in demo mode. Why: a newcomer must see how to sign in. */
export function demoAccountsMessage(url: string): string {
  const agents = DEMO_USERS.filter((u) => u.role === 'agent').map((u) => u.email);
  return [
    `Demo mode: open ${url} and sign in with password "${DEMO_PASSWORD}" as`,
    `  admin: ${DEMO_USERS.filter((u) => u.role === 'admin')
      .map((u) => u.email)
      .join(', ')}`,
    `  agents: ${agents.join(', ')}`,
    'Set DEMO=0 to run without demo mode.',
  ].join('\n');
}

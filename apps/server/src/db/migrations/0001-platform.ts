import type { Migration } from 'kysely';

export const migration0001Platform: Migration = {
  async up() {},
};

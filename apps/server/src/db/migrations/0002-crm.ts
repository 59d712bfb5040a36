import type { Migration } from 'kysely';

export const migration0002Crm: Migration = {
  async up() {},
};

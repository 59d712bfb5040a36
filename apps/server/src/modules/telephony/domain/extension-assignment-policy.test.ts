import { describe, expect, it } from 'vitest';
import { decideExtensionAssignment } from './extension-assignment-policy.js';

const holdings = [
  { extension: '101', userId: 'julien', userName: 'Julien Moreau' },
  { extension: '102', userId: 'olga', userName: 'Olga Smirnova' },
];

describe('the extension-assignment policy', () => {
  it('assigns a free extension to a user without one', () => {
    expect(decideExtensionAssignment('103', 'ada', holdings)).toEqual({ kind: 'assign' });
  });
  it('leaves an extension with the user who already holds it', () => {
    expect(decideExtensionAssignment('101', 'julien', holdings)).toEqual({ kind: 'unchanged' });
  });
  it('never takes an extension from its holder', () => {
    expect(decideExtensionAssignment('102', 'ada', holdings)).toEqual({
      kind: 'extension-taken',
      holder: holdings[1],
    });
  });
  it('gives a user one extension only', () => {
    expect(decideExtensionAssignment('103', 'julien', holdings)).toEqual({
      kind: 'user-has-extension',
      holding: holdings[0],
    });
  });
  it('names the extension’s holder first when both are taken', () => {
    expect(decideExtensionAssignment('102', 'julien', holdings).kind).toBe('extension-taken');
  });
});

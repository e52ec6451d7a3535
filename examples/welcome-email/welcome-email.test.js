import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderWelcomeEmail } from './welcome-email.js';

const sender = { from: 'welcome@example.com', product: 'wasmlet' };

test('the welcome e-mail greets by name and names the product', () => {
  assert.deepEqual(renderWelcomeEmail({ email: 'ada@example.com', name: 'Ada' }, sender), {
    to: 'ada@example.com',
    from: 'welcome@example.com',
    subject: 'Welcome to wasmlet',
    text: 'Hi Ada,\n\nthanks for signing up for wasmlet. Your account is registered to ada@example.com.\n\n' +
      'If you did not sign up, ignore this e-mail and nothing more will happen.\n\nThe wasmlet team\n',
  });
});

test('without a name the greeting is plain', () => {
  const email = renderWelcomeEmail({ email: 'ada@example.com', name: '' }, sender);
  assert.match(email.text, /^Hi,\n/);
});

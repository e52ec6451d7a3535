// The welcome e-mail for a signup, as the outbox records it. Pure (no SDK), so
// `node --test` runs it natively.

/**
 * @param {{ email: string, name: string }} signup
 * @param {{ from: string, product: string }} sender
 * @returns {{ to: string, from: string, subject: string, text: string }}
 * @example renderWelcomeEmail({ email: 'ada@example.com', name: 'Ada' }, { from: 'hi@example.com', product: 'wasmlet' })
 */
export function renderWelcomeEmail(signup, { from, product }) {
  const greeting = signup.name ? `Hi ${signup.name},` : 'Hi,';
  return {
    to: signup.email,
    from,
    subject: `Welcome to ${product}`,
    text: [
      greeting,
      '',
      `thanks for signing up for ${product}. Your account is registered to ${signup.email}.`,
      '',
      'If you did not sign up, ignore this e-mail and nothing more will happen.',
      '',
      `The ${product} team`,
      '',
    ].join('\n'),
  };
}

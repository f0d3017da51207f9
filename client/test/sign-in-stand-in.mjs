// Stands in for the server's POST /api/auth/login in browser tests, answering over real
// HTTP with the API's `{ error: { code, message } }` shape. The username picks the answer.

const password = 'correct horse battery staple';

/** @type {Record<string, { status: number, code?: string }>} */
const answers = {
  'disabled.guardian': { status: 403, code: 'account_disabled' },
  'too.many.tries': { status: 429, code: 'rate_limited' },
  'new.error.code': { status: 409, code: 'something_new' },
};

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** @type {import('@web/dev-server-core').Middleware} */
export async function signInStandIn(context, next) {
  if (context.path !== '/api/auth/login') return next();
  if (context.method !== 'POST') {
    context.status = 405;
    context.body = { error: { code: 'method_not_allowed', message: 'Use POST.' } };
    return;
  }
  const body = await readJson(context.req);
  const username = typeof body?.username === 'string' ? body.username : '';
  if (username === 'network.down') {
    // Drop the connection without an answer: what fetch sees when the network is gone.
    context.respond = false;
    context.status = 503; // never sent; keeps the runner from listing this as a 404
    context.req.socket.destroy();
    return;
  }
  if (!username || typeof body?.password !== 'string' || !body.password) {
    context.status = 400;
    context.body = { error: { code: 'validation_failed', message: 'Username and password are required.' } };
    return;
  }
  const answer =
    answers[username] ??
    (username === 'maria.lopez' && body.password === password ? { status: 200 } : { status: 401, code: 'invalid_credentials' });
  context.status = answer.status;
  context.body = answer.code
    ? { error: { code: answer.code, message: `Stand-in answer: ${answer.code}` } }
    : { account: { id: 'acc_1', username, displayName: 'María López' }, accessToken: 'stand-in-token' };
}

// The plan's identity provider for MgAuth's tests: panva's certified oidc-provider (nobody here wrote it) on loopback.
//
//   node server.mjs --port 0 --admin-port 0 --redirect-base http://127.0.0.1:5080
//
// Prints one JSON line when both ports listen: {"issuer": …, "admin": …}. People of each MgAuth role sign in on the
// library's own login page (devInteractions: the login is the person's subject, any password). The console's client
// gets JWT access tokens for the resource urn:mgauth:api (aud "mgauth"; another resource, https://other.example/api, for the wrong-audience test) (roles, org, npi, name in them) and refresh tokens; a second client,
// mgauth-short-lived, gets 6-second access tokens (the disabled-person test). The admin port is the test's hand on the
// provider: POST /test/disable?sub=… (the person is gone: no sign-in, no refresh), POST /test/enable?sub=…,
// POST /test/act?sub=…&role=… (which of the person's roles their next tokens carry).
import http from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.IDP_PORT ?? '0' },
    'admin-port': { type: 'string', default: process.env.IDP_ADMIN_PORT ?? '0' },
    'redirect-base': { type: 'string', default: process.env.IDP_REDIRECT_BASE ?? 'http://127.0.0.1:5080' },
    'client-secret': { type: 'string', default: process.env.IDP_CLIENT_SECRET ?? 'mgauth-console-test-secret' },
  },
});

// Resource indicators are absolute URIs; the access token's aud is the resource server's audience (Staff:Audience).
const Resources = { 'urn:mgauth:api': 'mgauth', 'https://other.example/api': 'https://other.example/api' };
const DefaultResource = 'urn:mgauth:api';
const ShortLivedClient = 'mgauth-short-lived';

// Each person: subject → display name, the MgAuth roles they hold (tokens carry the acting one), organization, NPI.
const people = new Map(Object.entries({
  'rev-1001': { name: 'Riley Chen', roles: ['reviewer'] },
  'cli-2002': { name: 'Dr. Ada Moreno', roles: ['clinician'], npi: '1003000126' },
  'aut-3003': { name: 'Sam Ortiz', roles: ['policy_author'] },
  'apr-4004': { name: 'Noor Haddad', roles: ['policy_approver'] },
  'adm-5005': { name: 'Lee Park', roles: ['admin'] },
  // One person who both writes and approves policy: whichever role they act in, they are one person (four eyes).
  'dua-6006': { name: 'Dana Reyes', roles: ['policy_author', 'policy_approver'] },
}).map(([sub, p]) => [sub, { ...p, acting: p.roles[0], disabled: false, org: 'plan' }]));

const redirectBase = args['redirect-base'].replace(/\/$/, '');
const client = (id, ttl) => ({
  client_id: id,
  client_secret: args['client-secret'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: [`${redirectBase}/signin-oidc`],
  post_logout_redirect_uris: [`${redirectBase}/signout-callback-oidc`, `${redirectBase}/`],
  token_endpoint_auth_method: 'client_secret_post',
  'urn:mgauth:access_token_ttl': ttl,
});

const configuration = {
  clients: [client('mgauth-console', 300), client(ShortLivedClient, 6)],
  extraClientMetadata: { properties: ['urn:mgauth:access_token_ttl'] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name', 'roles', 'org', 'npi'] },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx, _client, oneOf) => oneOf ?? DefaultResource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource, client) => {
        if (!Object.hasOwn(Resources, resource)) throw new Provider.errors.InvalidTarget();
        return {
          scope: '',
          audience: Resources[resource],
          accessTokenFormat: 'jwt',
          accessTokenTTL: client['urn:mgauth:access_token_ttl'] ?? 300,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // A first-party client: the person is not asked to consent to the console.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile offline_access');
    grant.addOIDCClaims(['name', 'roles', 'org', 'npi']);
    for (const resource of Object.keys(Resources)) grant.addResourceScope(resource, '');
    await grant.save();
    return grant;
  },
  // A disabled (or unknown) person has no account: no sign-in, and the refresh token grant refuses.
  findAccount: (_ctx, sub) => {
    const person = people.get(sub);
    if (!person || person.disabled) return undefined;
    return { accountId: sub, claims: () => ({ sub, ...claimsOf(person) }) };
  },
  extraTokenClaims: (_ctx, token) => {
    const person = token.accountId ? people.get(token.accountId) : undefined;
    return person && !person.disabled ? claimsOf(person) : undefined;
  },
  // The console gets a refresh token without prompt=consent (which OpenID Connect asks for offline_access): its session
  // lives as long as the person may sign in, and ends at the first refused refresh. Refresh tokens rotate.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ttl: { RefreshToken: 3600, Session: 3600, Grant: 3600, Interaction: 600, IdToken: 300 },
  cookies: { keys: ['mgauth-idp-test-cookie-key'] },
};

function claimsOf(person) {
  return { name: person.name, roles: [person.acting], org: person.org, ...(person.npi ? { npi: person.npi } : {}) };
}

const admin = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const person = people.get(url.searchParams.get('sub') ?? '');
  const answer = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (req.method !== 'POST') return answer(405, { error: 'POST only' });
  if (!person) return answer(404, { error: 'no such person' });
  switch (url.pathname) {
    case '/test/disable': person.disabled = true; break;
    case '/test/enable': person.disabled = false; break;
    case '/test/act': {
      const role = url.searchParams.get('role');
      if (!person.roles.includes(role)) return answer(400, { error: `the person does not hold ${role}` });
      person.acting = role;
      break;
    }
    default: return answer(404, { error: 'no such test action' });
  }
  return answer(200, { sub: url.searchParams.get('sub'), acting: person.acting, disabled: person.disabled });
});

const listen = (server, port) => new Promise((resolve) => server.listen(Number(port), '127.0.0.1', () => resolve(server.address().port)));

// The issuer names the port, so the provider's port is taken first and the provider built on it.
const front = http.createServer();
const port = await listen(front, args.port);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, configuration);
front.on('request', provider.callback());
const adminPort = await listen(admin, args['admin-port']);
console.log(JSON.stringify({ issuer, admin: `http://127.0.0.1:${adminPort}` }));

const stop = () => { front.close(); admin.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test runner that started the provider holds its stdin: when the runner dies, the provider goes too.
process.stdin.on('end', stop);
process.stdin.resume();

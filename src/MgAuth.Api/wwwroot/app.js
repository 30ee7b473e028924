// MgAuth reviewer console: the review queue and the case page, over the service's own API.
// It derives nothing: the dosing working, the clock, what the viewer may do (and why not) and the filters' values
// all come in the service's answers; the page only lays them out. No build step. Every value from the API is put on the page as text (never as HTML); the one
// exception, the notice, is HTML the server encoded and is shown in a sandboxed frame.
'use strict';

const KEY = 'mgauth.key';
const VIEWER = 'mgauth.viewer';
// Signed in through the plan's identity provider: the session is an HttpOnly cookie the page never reads; its calls carry
// the console's header, without which the service does not honour the cookie (another site's page cannot send it).
const SESSION = 'mgauth.session';
const CONSOLE_HEADER = 'X-MgAuth-Console';
const inSession = () => sessionStorage.getItem(SESSION) === '1';
const main = document.getElementById('main');

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.title ? problem.title : `HTTP ${status}`);
    this.status = status;
    this.problem = problem && typeof problem === 'object' ? problem : { title: `The service answered ${status}`, detail: String(problem || '') };
  }
}

async function api(path, { method = 'GET', body, headers = {}, accept = 'application/json' } = {}) {
  const h = inSession()
    ? { Accept: accept, [CONSOLE_HEADER]: '1', ...headers }
    : { Accept: accept, Authorization: `Bearer ${sessionStorage.getItem(KEY) || ''}`, ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('Content-Type') || '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
  if (response.status === 401) {
    signOut(inSession() ? 'Your session has ended. Sign in again.' : 'Your key was not accepted. Sign in again.');
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

// el('p', { class: 'x' }, 'text', child): children are text or nodes; attributes starting with "on" are listeners.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(title, ...nodes) {
  document.title = `${title} · MgAuth`;
  // As el() does: a part left out (null, undefined, false) is not shown, never as the text "null".
  main.replaceChildren(...nodes.filter(n => n !== null && n !== undefined && n !== false));
  const heading = main.querySelector('h1');
  if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
}

function problemBox(error) {
  const p = error.problem || { title: error.message };
  const errors = p.errors && Object.keys(p.errors).length
    ? el('ul', {}, Object.entries(p.errors).map(([field, messages]) => el('li', {}, el('code', {}, field), ' ', messages.join('; '))))
    : null;
  return el('div', { class: 'problem', role: 'alert' }, el('strong', {}, p.title || 'The request failed'), p.detail || '', errors);
}

// ---- formatting ---------------------------------------------------------------------------

const when = iso => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const clock = iso => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const words = name => String(name).replace(/_/g, ' ');
const num = (x, digits = 1) => Number(x).toLocaleString(undefined, { maximumFractionDigits: digits });

function duration(seconds) {
  const hours = seconds / 3600;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.floor(hours)} h`;
  return `${Math.floor(hours / 24)} d ${Math.floor(hours % 24)} h`;
}

// The service's clock: seconds left (negative once overdue) and how the case stands.
function dueBadge(clock) {
  const text = clock.overdue ? `Overdue by ${duration(-clock.dueInSeconds)}` : `${duration(clock.dueInSeconds)} left`;
  return el('span', { class: `badge ${clock.standing}`, title: `Due ${when(clock.dueBy)}` }, text);
}

const badge = (kind, text) => el('span', { class: `badge ${kind}` }, text ?? words(kind));

// A person by name; a row written before persons were names its key, and the service answers with the key's name then.
const nameOf = (person, fallback) => (person && person.name) || fallback;

function claimText(claim) {
  if (!claim || !claim.claimedBy) return 'Free';
  if (claim.claimedByYou) return `You, until ${clock(claim.claimExpiresAt)}`;
  return `${nameOf(claim.claimedByPerson, claim.claimedBy)} (${claim.claimedByRole}) until ${clock(claim.claimExpiresAt)}`;
}

// ---- session --------------------------------------------------------------------------------

function viewer() { try { return JSON.parse(sessionStorage.getItem(VIEWER) || 'null'); } catch { return null; } }

async function ensureViewer() {
  if (viewer()) return viewer();
  const { data } = await api('/v1/review-queue?pageSize=1');
  sessionStorage.setItem(VIEWER, JSON.stringify(data.viewer));
  return data.viewer;
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(VIEWER);
  sessionStorage.removeItem(SESSION);
  showSignIn(message);
}

// Ends the session here, then at the identity provider (which sends the browser back to the console).
async function endSession() {
  const wasSession = inSession();
  signOut();
  location.hash = '';
  if (!wasSession) return;
  try {
    const response = await fetch('/signout', { method: 'POST', headers: { Accept: 'application/json', [CONSOLE_HEADER]: '1' } });
    const answer = response.ok ? await response.json() : null;
    if (answer && answer.redirect) location.assign(answer.redirect);
  } catch { /* signed out here already */ }
}

// Whether the plan's identity provider signed this browser in (asked once per page load when no key is held).
let staffSignIn = null;
async function findSession() {
  try {
    const response = await fetch('/session', { headers: { Accept: 'application/json' } });
    const status = response.ok ? await response.json() : null;
    staffSignIn = Boolean(status && status.staffSignIn);
    if (status && status.signedIn) sessionStorage.setItem(SESSION, '1');
  } catch { staffSignIn = false; }
}

function showWho() {
  const v = viewer();
  document.getElementById('who').hidden = !v;
  // A person by their name; a key by its name.
  if (v) document.getElementById('who-text').textContent = `Signed in: ${v.name || v.keyId} · ${v.role}`;
}

function showSignIn(message) {
  document.getElementById('who').hidden = true;
  const status = el('div', { 'aria-live': 'polite' }, message ? problemBox({ problem: { title: message } }) : null);
  const input = el('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'key-hint' });
  const refused = new URLSearchParams(location.search).get('signin-refused');
  if (refused && !message) status.replaceChildren(problemBox({ problem: { title: 'The identity provider did not sign you in', detail: refused } }));
  const provider = staffSignIn
    ? el('p', {}, el('a', { class: 'button', href: '/signin', id: 'staff-signin' }, "Sign in with the plan's account"))
    : el('p', { class: 'muted', id: 'staff-signin-off' }, 'Sign-in through the plan\'s identity provider is not configured here; sign in with an API key.');
  const form = el('form', { class: 'card signin' },
    el('h1', {}, 'Sign in to the review queue'),
    status,
    provider,
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el('p', { id: 'key-hint', class: 'hint' },
      'In Development, the demo keys are in ', el('code', {}, 'data/demo-keys.txt'),
      ' at the repository root (written on the first run): use the reviewer or the clinician key.'),
    el('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    try {
      const { data } = await api('/v1/review-queue?pageSize=1');
      sessionStorage.setItem(VIEWER, JSON.stringify(data.viewer));
      if (location.hash.startsWith('#/')) route(); else location.hash = '#/queue';
    } catch (error) {
      sessionStorage.removeItem(KEY);
      const text = error.status === 403
        ? "This key's role may not use the review queue: sign in with a reviewer, clinician or admin key."
        : error.status === 401 ? 'That key was not accepted.' : error.message;
      if (error.status !== 401) showSignIn(text); else status.replaceChildren(problemBox({ problem: { title: text } }));
      input.focus();
    }
  });
  show('Sign in', form);
}

// ---- the queue ------------------------------------------------------------------------------

// The filters' labels; their values are the ones the service answers with the queue.
const FILTER_LABELS = {
  recommendation: ['Recommendation', 'Any recommendation'],
  indication: ['Indication', 'Any indication'],
  urgency: ['Urgency', 'Any urgency'],
  overdue: ['Clock', 'Overdue or not'],
};

async function showQueue(query) {
  const params = new URLSearchParams(query);
  const { data } = await api(`/v1/review-queue?${params}`);
  sessionStorage.setItem(VIEWER, JSON.stringify(data.viewer));
  showWho();

  const filters = el('form', { class: 'filters card', 'aria-label': 'Filter the queue' },
    Object.entries(data.filters).map(([name, choices]) => {
      const [label, any] = FILTER_LABELS[name] || [words(name), 'Any'];
      return el('div', {},
        el('label', { for: `filter-${name}` }, label),
        el('select', { id: `filter-${name}`, name },
          el('option', { value: '' }, any),
          choices.map(c => el('option', { value: c.value, selected: params.get(name) === c.value }, c.label))));
    }),
    el('button', { type: 'submit', class: 'secondary' }, 'Refresh'));
  const apply = event => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const select of filters.querySelectorAll('select')) if (select.value) next.set(select.name, select.value);
    const hash = `#/queue${next.size ? `?${next}` : ''}`;
    if (location.hash === hash) route(); else location.hash = hash;
  };
  filters.addEventListener('submit', apply);
  filters.addEventListener('change', apply);

  const rows = data.items.map(item => el('tr', {},
    el('td', {}, dueBadge(item.clock), el('div', { class: 'small muted' }, when(item.dueBy))),
    el('td', {}, el('a', { href: `#/cases/${encodeURIComponent(item.authorizationId)}` }, item.authorizationId),
      el('div', { class: 'small muted' }, `member ${item.memberId}`),
      item.appealOf ? el('div', { class: 'small' }, `appeal of ${item.appealOf}`) : null),
    el('td', {}, badge(item.recommendation), item.needsClinician ? el('div', { class: 'small muted' }, 'needs a clinician') : null),
    el('td', {}, item.indication ? words(item.indication) : 'not stated', el('div', { class: 'small muted' }, item.urgency)),
    el('td', {}, el('ul', {}, item.reasons.map(r => el('li', { title: r.message }, el('code', {}, r.code), ' ', el('span', { class: 'small muted' }, r.policyRef))))),
    el('td', {}, item.missingDocumentation.length ? el('ul', {}, item.missingDocumentation.map(m => el('li', {}, el('code', {}, m)))) : el('span', { class: 'muted' }, 'none')),
    el('td', {}, claimText(item))));

  const table = data.items.length
    ? el('table', {},
      el('caption', {}, `${data.total} pended case${data.total === 1 ? '' : 's'}, most urgent first`),
      el('thead', {}, el('tr', {}, ['Due', 'Case', 'Recommendation', 'Indication', 'Why pended', 'Missing documentation', 'Claimed by']
        .map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows))
    : el('p', {}, 'No pended case matches. ', el('span', { class: 'muted' }, 'Cases waiting for the provider\u2019s documentation are not in the queue.'));

  show('Review queue', el('h1', {}, 'Review queue'), filters, el('section', { class: 'card', 'aria-label': 'Pended cases' }, table));
}

// ---- the case page ------------------------------------------------------------------------

async function showCase(id, flash) {
  const v = await ensureViewer();
  showWho();
  const path = `/v1/authorizations/${encodeURIComponent(id)}`;
  const [caseResponse, requestResponse, claimResponse] = await Promise.all([api(path), api(`${path}/request`), api(`${path}/claim`)]);
  const decision = caseResponse.data;
  const request = typeof requestResponse.data === 'string' ? JSON.parse(requestResponse.data) : requestResponse.data;
  const [policyResponse, historyResponse] = await Promise.all([
    api(`/v1/policies/${encodeURIComponent(decision.policy.id)}`).catch(() => ({ data: null })),
    api(`${path}/history`)]);
  const policy = policyResponse.data;
  const pended = decision.status === 'pended';
  const recommendation = decision.determination ? decision.determination.engineRecommendation : decision.decision;

  const head = el('div', { class: 'case-head' },
    el('h1', {}, `Case ${decision.authorizationId}`),
    badge(decision.status),
    el('span', {}, 'Engine recommends ', badge(recommendation)),
    decision.clock ? dueBadge(decision.clock) : null);
  const facts = el('div', { class: 'facts' },
    el('span', {}, el('strong', {}, 'Member '), request.member.id),
    el('span', {}, el('strong', {}, 'Indication '), decision.indication ? words(decision.indication) : 'not stated'),
    el('span', {}, el('strong', {}, 'Urgency '), decision.urgency),
    el('span', {}, el('strong', {}, 'Received '), when(decision.receivedAt)),
    el('span', {}, el('strong', {}, 'Due '), when(decision.dueBy)),
    el('span', {}, el('strong', {}, 'Policy '), `${decision.policy.id} ${decision.policy.version}`),
    decision.appealOf ? el('span', {}, el('strong', {}, 'Appeal of '), el('a', { href: `#/cases/${decision.appealOf}` }, decision.appealOf)) : null,
    (decision.appeals || []).map(a => el('span', {}, el('strong', {}, 'Appealed in '), el('a', { href: `#/cases/${a}` }, a))));

  const left = el('div', {},
    reasonsCard(decision),
    dosingCard(decision),
    requestCard(decision, request),
    traceCard(decision, path),
    historyCard(historyResponse.data));
  const noticeSlot = el('section', { class: 'card', id: 'notice', hidden: true, 'aria-labelledby': 'notice-h' });
  const side = el('div', { class: 'side' },
    pended ? decideCard(decision, caseResponse.etag, request, policy, claimResponse.data, v, path) : outcomeCard(decision, path, noticeSlot));

  show(`Case ${decision.authorizationId}`,
    el('p', {}, el('a', { href: '#/queue' }, '\u2190 Back to the queue')),
    flash ? el('div', { class: 'success', role: 'status' }, flash) : null,
    head, facts,
    el('div', { class: 'layout' }, left, side),
    noticeSlot);
}

function reasonsCard(decision) {
  const order = { deny: 0, review: 1, advisory: 2, met: 3 };
  const reasons = [...decision.reasons].sort((a, b) => order[a.effect] - order[b.effect]);
  return el('section', { class: 'card', 'aria-labelledby': 'reasons-h' },
    el('h2', { id: 'reasons-h' }, 'Reasons'),
    el('p', { class: 'small muted' }, 'What the engine found, reason by reason, with the policy section and the evidence each rests on.'),
    reasons.map(r => el('div', { class: `reason ${r.effect}` },
      el('p', {}, badge(r.effect), ' ', el('code', {}, r.code)),
      el('p', {}, r.message),
      el('p', { class: 'ref' }, `Policy ${r.policyRef} \u00b7 rule ${r.rule}`),
      el('p', { class: 'ref' }, `Evidence: ${r.evidence}`))),
    el('h3', {}, 'Missing documentation'),
    decision.missingDocumentation.length
      ? el('ul', {}, decision.missingDocumentation.map(m => el('li', {}, el('code', {}, m))))
      : el('p', { class: 'muted' }, 'None.'),
    decision.approvableAlternative
      ? el('p', {}, el('strong', {}, 'Approvable alternative: '), `up to ${num(decision.approvableAlternative.courseGrams)} g per course`)
      : null);
}

// The service's working, figure by figure, in its decimal arithmetic; the page computes none of it.
function dosingCard(decision) {
  const w = decision.dosingWorking;
  const rows = [];
  const row = (label, value, result) => rows.push(el('tr', { class: result ? 'result' : null }, el('td', {}, label), el('td', {}, value)));
  if (w) {
    const d = w.dosingWeight;
    const r = d.result;
    row('Actual weight', `${num(d.actualKg)} kg`);
    row('Height', `${num(d.heightCm)} cm = ${num(d.heightIn, 2)} in`);
    row(`Ideal body weight (Devine, ${d.formula === 'devine_male' ? 'male' : 'female formula'})`,
      `${num(d.devineBaseKg, 2)} + ${num(d.devineKgPerInch, 2)} \u00d7 (${num(d.heightIn, 2)} \u2212 ${num(d.devineBaseHeightIn, 2)}) = ${num(r.idealKg)} kg`);
    if (r.method === 'adjusted') {
      row(`Actual above ${num(d.adjustAboveIdealRatio, 2)} \u00d7 IBW (${num(d.adjustAboveKg)} kg)`,
        `adjusted: ${num(d.idealKg)} + ${num(d.adjustmentFactor, 2)} \u00d7 (${num(d.actualKg)} \u2212 ${num(d.idealKg)}) = ${num(d.unroundedKg, 2)} kg`);
    } else if (r.method === 'actual') {
      row(`Actual at most ${num(d.adjustAboveIdealRatio, 2)} \u00d7 IBW (${num(d.adjustAboveKg)} kg)`, 'the actual weight is used');
    } else {
      row(`Height under ${num(d.shortStatureBelowCm)} cm`, 'Devine does not apply: the actual weight is used');
    }
    row('Method', words(r.method));
    row('Dosing weight', `${num(r.kg)} kg`, true);
    row('Requested per course', `${num(w.courseGrams)} g = ${num(w.gramsPerKgPerCourse, 2)} g/kg`);
    const c = w.courseCeiling;
    row('Course ceiling', `${num(c.gramsPerKg, 2)} g/kg \u00d7 ${num(c.dosingKg)} kg = ${num(c.unroundedGrams)} g \u2192 ${num(c.grams)} g (whole ${c.vialGrams} g vials)`);
  } else if (decision.dosingWeight) {
    const dw = decision.dosingWeight;
    row('Actual weight', `${num(dw.actualKg)} kg`);
    row('Ideal body weight (Devine)', `${num(dw.idealKg)} kg`);
    row('Method', words(dw.method));
    row('Dosing weight', `${num(dw.kg)} kg`, true);
    row('Requested per course', `${num(decision.requested.courseGrams)} g = ${num(decision.requested.gramsPerKgPerCourse, 2)} g/kg`);
  } else {
    // A request missing facts the contract requires: nothing to work a dose from until the provider sends them.
    return null;
  }
  return el('section', { class: 'card', 'aria-labelledby': 'dw-h' },
    el('h2', { id: 'dw-h' }, 'Dosing weight'),
    el('table', { class: 'working' }, el('tbody', {}, rows)));
}

function requestCard(decision, request) {
  const kv = pairs => el('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
  const c = request.clinical || {};
  const score = s => (s ? `${s.current ?? '\u2014'} now, ${s.baseline ?? '\u2014'} at baseline` : undefined);
  // A PAS request pended for missing facts may leave out whole parts (its reasons name them).
  const r = request.regimen || {};
  const dx = request.diagnosis || {};
  const therapies = request.priorTherapies || [];
  return el('section', { class: 'card', 'aria-labelledby': 'request-h' },
    el('h2', { id: 'request-h' }, 'Request'),
    el('div', { class: 'sections' },
      el('div', {}, el('h3', {}, 'Member'), kv([['Id', request.member.id], ['Born', request.member.birthDate], ['Sex', request.member.sex],
        ['Weight', `${request.member.weightKg} kg`], ['Height', `${request.member.heightCm} cm`]])),
      el('div', {}, el('h3', {}, 'Diagnosis'), kv([['ICD-10', dx.icd10], ['MGFA class', dx.mgfaClass],
        ['AChR', dx.achrAntibody], ['MuSK', dx.muskAntibody], ['LRP4', dx.lrp4Antibody],
        ['Electrodiagnostics', dx.electrodiagnostics && words(dx.electrodiagnostics)]])),
      el('div', {}, el('h3', {}, 'Clinical'), kv([['MG-ADL', score(c.mgAdl)], ['QMG', score(c.qmg)], ['Bulbar dysfunction', c.bulbarDysfunction],
        ['eGFR', c.egfr], ['IgA', c.igaStatus && words(c.igaStatus)], ['Thromboembolic history', c.thromboembolicHistory],
        ['Heart failure', c.heartFailure]])),
      el('div', {}, el('h3', {}, 'Regimen'), kv([['Product', r.product], ['Dose', r.gramsPerDay != null && r.infusionDays != null ? `${r.gramsPerDay} g/day \u00d7 ${r.infusionDays} days` : undefined],
        ['Cycles', r.cycles ?? 1], ['Interval', r.intervalDays ? `${r.intervalDays} days` : null], ['Start', r.startDate],
        ['Period', decision.requested ? `${decision.requested.periodStart} to ${decision.requested.periodEnd}` : undefined]]))),
    therapies.length
      ? [el('h3', {}, 'Prior therapies'), el('table', {},
        el('thead', {}, el('tr', {}, ['Agent', 'Months', 'Outcome'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, therapies.map(t => el('tr', {}, el('td', {}, t.agent), el('td', {}, t.months ?? '\u2014'), el('td', {}, t.outcome ? words(t.outcome) : '\u2014')))))]
      : null);
}

function traceCard(decision, path) {
  const whyNot = el('details', {}, el('summary', {}, 'Why not: the rules that did not fire'), el('p', { class: 'muted' }, 'Open to load.'));
  let loaded = false;
  whyNot.addEventListener('toggle', async () => {
    if (!whyNot.open || loaded) return;
    loaded = true;
    try {
      const { data } = await api(`${path}/explain`);
      const items = (data.explain || []).map(w => el('details', {},
        el('summary', {}, `${w.rule}${w.policyRef ? ` (${w.policyRef})` : ''}: ${w.reason}`),
        el('p', { class: 'small' }, `Failed at ${w.pattern}`),
        w.condition ? el('pre', {}, w.condition) : null,
        el('pre', {}, JSON.stringify(w.values, null, 2))));
      whyNot.replaceChildren(whyNot.firstChild, items.length ? items : el('p', {}, 'Every rule fired.'));
    } catch (error) {
      whyNot.replaceChildren(whyNot.firstChild, problemBox(error));
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'trace-h' },
    el('h2', { id: 'trace-h' }, 'Trace'),
    el('details', {}, el('summary', {}, `Rules that fired, in order (${decision.trace.length})`),
      decision.trace.map(t => el('details', {}, el('summary', {}, `${t.seq}. ${t.rule}`), el('pre', {}, JSON.stringify(t.facts, null, 2))))),
    whyNot);
}

function historyCard(history) {
  return el('section', { class: 'card history', 'aria-labelledby': 'history-h' },
    el('h2', { id: 'history-h' }, 'History'),
    el('table', {},
      el('thead', {}, el('tr', {}, ['When', 'Who', 'What', 'Status', 'Detail'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, history.events.map(e => el('tr', {},
        el('td', {}, when(e.at)), el('td', {}, `${nameOf(e.person, e.actor)} (${e.actorRole})`), el('td', {}, words(e.kind)),
        el('td', {}, e.fromStatus === e.toStatus ? (e.toStatus || '') : `${e.fromStatus || '\u2014'} \u2192 ${e.toStatus || '\u2014'}`),
        el('td', {}, e.detail || ''))))));
}

// The notice is the server's HTML (encoded there), shown as the provider gets it, in a frame that may run no script.
function outcomeCard(decision, path, slot) {
  const d = decision.determination;
  const button = el('button', { type: 'button', 'aria-controls': 'notice', onclick: async () => {
    slot.hidden = false;
    const heading = el('h2', { id: 'notice-h', tabindex: '-1' }, 'Notice to the provider and the member');
    try {
      const { data } = await api(`${path}/notice`, { accept: 'text/html' });
      const frame = el('iframe', { class: 'notice-frame', title: 'Notice of the decision', sandbox: 'allow-same-origin', srcdoc: data });
      frame.addEventListener('load', () => {
        const height = frame.contentDocument && frame.contentDocument.documentElement.scrollHeight;
        if (height) frame.style.height = `${height + 16}px`;
      });
      slot.replaceChildren(heading, frame);
    } catch (error) { slot.replaceChildren(heading, problemBox(error)); }
    heading.focus();
  } }, 'Show the notice');
  return el('section', { class: 'card', 'aria-labelledby': 'outcome-h' },
    el('h2', { id: 'outcome-h' }, 'Decision'),
    el('p', {}, badge(decision.status), ' ', d ? `by ${nameOf(d.reviewer.person, d.reviewer.keyId)} (${d.reviewer.role}), ${when(d.determinedAt)}` : 'by the engine'),
    d ? el('dl', { class: 'kv' },
      el('dt', {}, 'Action'), el('dd', {}, words(d.action)),
      d.reasonCode ? [el('dt', {}, 'Reason'), el('dd', {}, el('code', {}, d.reasonCode), d.policyRef ? ` (${d.policyRef})` : '')] : null,
      el('dt', {}, 'Rationale'), el('dd', {}, d.rationale)) : null,
    decision.authorized ? el('p', {}, `Authorized: ${num(decision.authorized.courseGrams)} g per course, ${decision.authorized.cycles} course(s), ${decision.authorized.validFrom} through ${decision.authorized.validThrough}.`) : null,
    button);
}

// What the viewer may do comes with the case (nextActions): each action allowed or not, and the service's reason.
const DETERMINATIONS = {
  approve: 'Approve as requested',
  approve_modified: 'Approve a modified regimen',
  deny: 'Deny',
  request_information: 'Request information from the provider',
};

function decideCard(decision, etag, request, policy, claim, v, path) {
  const status = el('div', { 'aria-live': 'assertive' });
  const refresh = flash => showCase(decision.authorizationId, flash).catch(error => status.replaceChildren(problemBox(error)));
  const act = async (method, message) => {
    try { await api(`${path}/claim`, { method }); refresh(message); } catch (error) { status.replaceChildren(problemBox(error)); }
  };
  const may = Object.fromEntries((decision.nextActions || []).map(a => [a.action, a]));
  const allowed = action => Boolean(may[action] && may[action].allowed);

  const mine = Boolean(claim && claim.claimedByYou);
  const claimPart = el('div', {},
    el('p', {}, el('strong', {}, 'Claim: '), claimText(claim)),
    allowed('claim')
      ? el('button', { type: 'button', class: mine ? 'secondary' : null, onclick: () => act('POST', mine ? 'Your claim is renewed.' : 'You hold this case now.') },
        mine ? 'Renew my claim' : 'Claim this case')
      : null,
    allowed('release')
      ? el('button', { type: 'button', class: 'secondary', onclick: () => act('DELETE', 'The claim is released.') }, mine ? 'Release my claim' : 'Release this claim')
      : null);

  const actions = Object.keys(DETERMINATIONS).filter(action => may[action]).map(action => may[action]);
  if (!actions.some(a => a.allowed)) {
    return el('section', { class: 'card', 'aria-labelledby': 'decide-h' }, el('h2', { id: 'decide-h' }, 'Decide'), status, claimPart,
      [...new Set(actions.map(a => a.reason))].map(reason => el('p', { class: 'muted' }, reason)));
  }
  return el('section', { class: 'card', 'aria-labelledby': 'decide-h' },
    el('h2', { id: 'decide-h' }, 'Decide'), status, claimPart,
    determinationForm(decision, etag, request, policy, actions, path, status, refresh));
}

function determinationForm(decision, etag, request, policy, actions, path, status, refresh) {
  // Each distinct reason is said once, under the choices it disables.
  const reasons = [...new Set(actions.filter(a => !a.allowed).map(a => a.reason))];
  const reasonId = reason => `action-limit-${reasons.indexOf(reason) + 1}`;
  const criteria = policy ? policy.criteria : [];
  const found = decision.reasons.filter(r => r.effect === 'deny' || r.effect === 'review').map(r => r.code);
  const reasonSelect = el('select', { id: 'reason-code', name: 'reasonCode' },
    el('option', { value: '' }, '\u2014 none \u2014'),
    el('optgroup', { label: 'Found in this case' }, [...new Set(found)].map(code => el('option', { value: code }, code))),
    el('optgroup', { label: 'Every criterion of the policy' },
      criteria.map(c => el('option', { value: c.code }, `${c.code} (${c.policyRef}, ${c.effect})`))));
  const r = request.regimen;
  const alternative = decision.approvableAlternative;
  const modified = el('fieldset', { id: 'modified', hidden: true },
    el('legend', {}, 'Modified regimen'),
    el('div', { class: 'grid-2' },
      field('mod-grams', 'Grams per day', 'number', alternative ? Math.floor(alternative.courseGrams / r.infusionDays) : r.gramsPerDay, { step: 'any', min: 1 }),
      field('mod-days', 'Infusion days', 'number', r.infusionDays, { min: 1, max: 14 }),
      field('mod-cycles', 'Cycles', 'number', r.cycles ?? 1, { min: 1, max: 52 }),
      field('mod-interval', 'Interval days', 'number', r.intervalDays ?? '', { min: 7, max: 180 }),
      field('mod-start', 'Start date', 'date', r.startDate, {})));
  const missing = el('div', { id: 'missing', hidden: true },
    el('label', { for: 'missing-docs' }, 'Documentation to ask for (one field path a line)'),
    el('textarea', { id: 'missing-docs', name: 'missingDocumentation' }, decision.missingDocumentation.join('\n')));
  let reasonTouched = false;
  reasonSelect.addEventListener('change', () => { reasonTouched = true; });

  const form = el('form', { 'aria-label': 'Determination' },
    el('fieldset', {},
      el('legend', {}, 'Determination'),
      actions.map(({ action, allowed, reason }) => [
        el('label', { class: `choice${allowed ? '' : ' disabled'}`, for: `action-${action}` },
          el('input', { type: 'radio', name: 'action', id: `action-${action}`, value: action, disabled: !allowed, 'aria-describedby': allowed ? null : reasonId(reason) }),
          DETERMINATIONS[action] || words(action))]),
      reasons.map(reason => el('p', { class: 'note', id: reasonId(reason) }, reason))),
    el('label', { for: 'reason-code' }, 'Reason code'),
    reasonSelect,
    modified,
    missing,
    el('label', { for: 'rationale' }, 'Rationale (the provider reads it in the notice)'),
    el('textarea', { id: 'rationale', name: 'rationale', required: true }),
    el('p', {}, el('button', { type: 'submit' }, 'Record determination')));

  form.addEventListener('change', event => {
    if (event.target.name !== 'action') return;
    const action = event.target.value;
    modified.hidden = action !== 'approve_modified';
    missing.hidden = action !== 'request_information';
    if (!reasonTouched) {
      reasonSelect.value = action === 'deny' ? (decision.reasons.find(x => x.effect === 'deny') || {}).code || ''
        : action === 'request_information' ? 'DOCUMENTATION_MISSING' : '';
    }
  });
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const chosen = form.querySelector('input[name=action]:checked');
    if (!chosen) { status.replaceChildren(problemBox({ problem: { title: 'Choose a determination first.' } })); return; }
    const body = { action: chosen.value, rationale: form.rationale.value };
    if (reasonSelect.value) body.reasonCode = reasonSelect.value;
    if (chosen.value === 'approve_modified') {
      const value = id => form.querySelector(`#${id}`).value;
      body.modifiedRegimen = {
        gramsPerDay: Number(value('mod-grams')), infusionDays: Number(value('mod-days')), cycles: Number(value('mod-cycles')),
        intervalDays: value('mod-interval') ? Number(value('mod-interval')) : null, startDate: value('mod-start'),
      };
    }
    if (chosen.value === 'request_information') {
      body.missingDocumentation = form.querySelector('#missing-docs').value.split('\n').map(s => s.trim()).filter(Boolean);
    }
    try {
      const { data } = await api(`${path}/determination`, { method: 'POST', body, headers: { 'If-Match': etag } });
      refresh(`Recorded: ${words(chosen.value)}. The case is now ${data.status}.`);
    } catch (error) {
      status.replaceChildren(problemBox(error));
      status.querySelector('.problem')?.setAttribute('tabindex', '-1');
      status.querySelector('.problem')?.focus();
    }
  });
  return form;
}

function field(id, label, type, value, extra) {
  return el('div', {}, el('label', { for: id }, label), el('input', { id, type, value, ...extra }));
}

// ---- routing ------------------------------------------------------------------------------

async function route() {
  if (!sessionStorage.getItem(KEY) && !inSession()) {
    if (staffSignIn === null) await findSession();
    if (!inSession()) { showSignIn(); return; }
  }
  const hash = location.hash || '#/queue';
  const match = hash.match(/^#\/cases\/([^/?]+)$/);
  try {
    if (match) await showCase(decodeURIComponent(match[1]));
    else await showQueue(hash.split('?')[1] || '');
  } catch (error) {
    if (error.status === 401) return;
    show('Problem', el('h1', {}, 'Something went wrong'), problemBox(error), el('p', {}, el('a', { href: '#/queue' }, 'Back to the queue')));
  }
}

document.getElementById('sign-out').addEventListener('click', endSession);
window.addEventListener('hashchange', route);
route();

// Sign-in for a node that requires API keys: the key is sent once and exchanged for an HttpOnly
// session cookie, so no page script keeps it (not in storage, not in a URL). In local mode there
// is nothing to do.
import { api } from '/api.js';

function showAccount(ui, session) {
  const signedIn = session.mode === 'keys' && session.owner;
  ui.account.hidden = !signedIn;
  ui.accountOwner.textContent = signedIn ? session.owner : '';
  document.body.toggleAttribute('data-signed-out', session.mode === 'keys' && !session.owner);
}

/** Resolves with the session once the page may use the API: at once in local mode, else after sign-in. */
export async function requireSession(ui) {
  let session;
  try {
    session = await api('/api/session', { retries: 2 });
  } catch {
    session = { mode: 'local' };
  }
  showAccount(ui, session);
  ui.signOut.addEventListener('click', async () => {
    await api('/api/session', { method: 'DELETE' }).catch(() => {});
    location.reload();
  });
  // A session that ends while the page is open (expired, key revoked): sign in again.
  window.addEventListener('contentgen:unauthorized', () => location.reload(), { once: true });
  if (session.mode === 'local' || session.owner) return session;

  ui.signin.hidden = false;
  ui.signinKey.focus();
  return new Promise((resolve) => {
    ui.signinForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      ui.signinError.hidden = true;
      ui.signinSubmit.disabled = true;
      try {
        session = await api('/api/session', { method: 'POST', body: { key: ui.signinKey.value.trim() } });
        ui.signinKey.value = '';
        ui.signin.hidden = true;
        showAccount(ui, session);
        resolve(session);
      } catch (err) {
        ui.signinError.hidden = false;
        ui.signinErrorMessage.textContent = err.status === 401
          ? 'That key is not valid or has been revoked. Ask your operator for a key.'
          : err.message;
        ui.signinKey.select();
      } finally {
        ui.signinSubmit.disabled = false;
      }
    });
  });
}

// Passkey ceremonies (WebAuthn) for the sign-in page and the account page.
// Loaded as a module from this app (the CSP allows scripts from 'self' only); it talks only to this app's JSON API
// (/api/v1/auth/passkey…, /api/v1/me/passkeys…), which the pages' forms and other clients share.
// Controls marked data-passkey stay hidden unless this script runs and the browser has WebAuthn;
// notes marked data-passkey-unsupported are shown otherwise.

const supported =
  typeof window.PublicKeyCredential === "function" &&
  !!navigator.credentials &&
  typeof navigator.credentials.create === "function" &&
  typeof navigator.credentials.get === "function";

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64Url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    user: { ...json.user, id: fromBase64Url(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  };
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  };
}

// The credential as WebAuthn's JSON (PublicKeyCredential.toJSON()), built by hand where toJSON is missing or
// throws (some password managers hand back objects whose toJSON fails with "Illegal invocation").
function credentialJson(credential) {
  try {
    if (typeof credential.toJSON === "function") return credential.toJSON();
  } catch {
    // fall through
  }
  const r = credential.response;
  const json = {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    response: { clientDataJSON: toBase64Url(r.clientDataJSON) },
  };
  if (r.attestationObject) {
    json.response.attestationObject = toBase64Url(r.attestationObject);
    json.response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
  } else {
    json.response.authenticatorData = toBase64Url(r.authenticatorData);
    json.response.signature = toBase64Url(r.signature);
    json.response.userHandle = r.userHandle ? toBase64Url(r.userHandle) : null;
  }
  return json;
}

async function post(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body === undefined ? {} : body),
    });
  } catch {
    return { ok: false, data: null };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, data };
}

// Shows a sentence in the page's alert box (role="alert", so screen readers announce it).
function show(box, text) {
  box.textContent = text;
  box.hidden = false;
}

function problemText(box, result) {
  return (result.data && (result.data.detail || result.data.title)) || box.dataset.msgNetwork || "";
}

async function signIn(button, box) {
  box.hidden = true;
  button.disabled = true;
  try {
    const options = await post("/api/v1/auth/passkey/options");
    if (!options.ok) return show(box, problemText(box, options));
    let credential;
    try {
      credential = await navigator.credentials.get({ publicKey: requestOptions(options.data) });
    } catch {
      return show(box, box.dataset.msgCancelled);
    }
    if (!credential) return show(box, box.dataset.msgCancelled);
    const result = await post("/api/v1/auth/passkey", credentialJson(credential));
    if (result.ok) {
      window.location.assign(button.dataset.returnUrl || "/");
      return;
    }
    show(box, problemText(box, result));
  } finally {
    button.disabled = false;
  }
}

async function register(form, box) {
  box.hidden = true;
  const input = form.querySelector("input[name=name]");
  const name = input.value.trim();
  if (!form.reportValidity() || name.length === 0) return;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const options = await post("/api/v1/me/passkeys/options");
    if (!options.ok) return show(box, problemText(box, options));
    let credential;
    try {
      credential = await navigator.credentials.create({ publicKey: creationOptions(options.data) });
    } catch {
      return show(box, box.dataset.msgCancelled);
    }
    if (!credential) return show(box, box.dataset.msgCancelled);
    const result = await post("/api/v1/me/passkeys", { name, credential: credentialJson(credential) });
    if (result.ok) {
      window.location.assign("/account?passkey=registered#passkeys");
      return;
    }
    show(box, problemText(box, result));
  } finally {
    button.disabled = false;
  }
}

for (const el of document.querySelectorAll("[data-passkey]")) el.hidden = !supported;
for (const el of document.querySelectorAll("[data-passkey-unsupported]")) el.hidden = supported;

if (supported) {
  const box = document.getElementById("passkey-error");
  const button = document.getElementById("passkey-signin");
  if (button && box) button.addEventListener("click", () => signIn(button, box));
  const form = document.getElementById("passkey-register");
  if (form && box) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      register(form, box);
    });
  }
}

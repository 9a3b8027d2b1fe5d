// The test portal's page side: what a web application does to log a user in with the card.
// It asks its server for a challenge, has the card sign it through cardbridge (the extension),
// hands the token to its server, and shows the server's verdict.
import { connect, detect } from "/cardbridge.js";

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/** Logs in with `pin` (this origin's rule lets the page send it). Returns what happened. */
export async function login(pin) {
  const { nonce } = await post("/challenge");
  const outcome = { nonce, extension: await detect(), bridge: null };
  let cb = null;
  try {
    cb = await connect();
    outcome.bridge = cb.bridge;
    // The library's login() takes no PIN; an origin with sendPin passes it in the params.
    const result = await cb.call("auth.login", { nonce, pin });
    Object.assign(outcome, { token: result.token, algorithm: result.algorithm, certificateSerial: result.certificateSerial });
  } catch (e) {
    outcome.error = { reason: e.reason ?? null, message: e.message, code: e.code ?? null };
  } finally {
    cb?.close();
  }
  outcome.verdict = await post("/login", outcome);
  return outcome;
}

/** What the user reads on the page after a login attempt. */
export function describe(outcome) {
  if (outcome.error) return `登录失败：${outcome.error.reason} ${outcome.error.message}`;
  return outcome.verdict.verified ? `登录成功：${outcome.verdict.output}` : `登录被服务器拒绝：${outcome.verdict.output}`;
}

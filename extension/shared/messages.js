// Messages from the extension's pages to its service worker. Every one is answered with
// {ok: true, ...} or {ok: false, error, kind}; the worker accepts them only from its own pages.

export const MSG = Object.freeze({
  REFRESH: "deputy/refresh", // reconnect if needed and fetch everything again
  RECONNECT: "deputy/reconnect", // retry now, forgetting the backoff
  APPROVE: "deputy/approve", // {id, edits?, likeThis?}
  REJECT: "deputy/reject", // {id, reason?}
  SET_PAUSED: "deputy/set-paused", // {paused}
  START_TASK: "deputy/start-task", // {instruction, url?}
  UNPAIR: "deputy/unpair", // revoke this browser's token on the server, then forget it
  ANSWER_GROUP: "deputy/answer-group", // {ids, approve}: a group of the digest's waiting approvals at once
  DIGEST_SEEN: "deputy/digest-seen", // the user read the digest: the next one starts from now
  SET_WATCH: "deputy/set-watch", // {on}: every deploy-watch job on or off
  START_CHECKIN: "deputy/start-checkin", // {tripId, url}: check in a trip from mail on the airline's page
});

export async function send(type, payload = {}) {
  try {
    const answer = await chrome.runtime.sendMessage({ type, ...payload });
    return answer ?? { ok: false, kind: "internal", error: "Deputy's extension did not answer; reload it." };
  } catch (error) {
    return { ok: false, kind: "internal", error: `Deputy's extension did not answer: ${error.message}` };
  }
}

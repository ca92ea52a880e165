// The JSON API of this mailbox. Paths are relative to the mailbox page; reads are GET, changes are POST.
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = data && data.detail;
    const message = typeof detail === "string" ? detail : `The request failed (HTTP ${response.status}).`;
    throw new ApiError(message, response.status);
  }
  return data;
}

export async function getJSON(path, params = {}) {
  const url = new URL(path, document.baseURI);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  return answer(await fetch(url, { headers: { Accept: "application/json" } }));
}

export async function postJSON(path, body) {
  const response = await fetch(new URL(path, document.baseURI), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return answer(response);
}

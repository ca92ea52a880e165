// Formatting shared by the popup, the costs page and the worker (badge, notifications).

// Deputy stores UTC; a timestamp without a zone (SQLite drops it) is UTC, not local time.
export function parseServerTime(value) {
  if (!value) return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : time;
}

export function usd(amount, { precise = false } = {}) {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return "—";
  // Small amounts keep up to four decimals ($0.0135, $0.004), so a cheap step does not read as free.
  if (precise && amount !== 0 && Math.abs(amount) < 0.1) {
    if (Math.abs(amount) < 0.0001) return "<$0.0001";
    const text = amount.toFixed(4).replace(/0+$/, "");
    return `$${text.split(".")[1].length < 2 ? amount.toFixed(2) : text}`;
  }
  if (amount !== 0 && Math.abs(amount) < 0.01) return "<$0.01";
  return `$${amount.toFixed(2)}`;
}

// At most five characters, so the badge stays readable: $0.42, $3.10, $12, $140.
export function badgeUsd(amount) {
  if (amount < 10) return `$${amount.toFixed(2)}`;
  if (amount < 1000) return `$${Math.round(amount)}`;
  return `$${Math.round(amount / 1000)}k`;
}

export function countdown(ms) {
  if (ms <= 0) return "expired";
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

export function ago(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

// A departure in the browser's local time: "Mon 1 Jun, 09:30".
export function departure(value) {
  const time = parseServerTime(value);
  if (time === null) return String(value ?? "");
  return new Date(time).toLocaleString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

// "Demo Air DA233 (booking FM5W6C)", from a trip or a check-in event.
export function flightOf(trip) {
  const said = [trip.airline, trip.flight].filter((part) => typeof part === "string" && part.trim()).join(" ");
  const code = typeof trip.booking_code === "string" ? trip.booking_code : "";
  if (said && code) return `${said} (booking ${code})`;
  return said || (code ? `booking ${code}` : "your flight");
}

// "type_text" → "Type text"
export function humanize(name) {
  const words = String(name).replaceAll("_", " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

export function isWebUrl(url) {
  return /^https?:\/\//.test(url ?? "");
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

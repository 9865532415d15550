/**
 * The private-address guard: a call to a URL a user gave (a provider's base URL, model discovery, backend
 * detection, health probes, MCP discovery) must not let the Worker probe a network it can reach and the user
 * cannot. `privateAddressReason` says why a URL points somewhere private (null when it does not);
 * `assertPublicUrl` (url-guard.ts) turns that into the 400 `private_address` envelope unless the deployment allows private
 * addresses (`ALLOW_PRIVATE_URLS = "true"`: local development and tests, whose simulator is on 127.0.0.1).
 *
 * The check is on the URL's host as written, after the WHATWG URL parser has normalized it (so `2130706433`,
 * `0x7f.1` and `0177.0.0.1` are all 127.0.0.1); the IPv4 parser below also reads those spellings itself, so the
 * guard does not depend on the parser having done so. Names are not resolved: a public name that resolves to a
 * private address is out of reach for a Worker on Cloudflare's network anyway (its subrequests go out to the
 * internet), and resolving here would not stop a rebinding between the check and the call.
 */
type Cidr4 = readonly [base: number, bits: number, why: string];

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry and friends). */
const PRIVATE_V4: readonly Cidr4[] = [
  [ip4(0, 0, 0, 0), 8, "the 'this network' range (0.0.0.0/8)"],
  [ip4(10, 0, 0, 0), 8, "a private network (10.0.0.0/8)"],
  [ip4(100, 64, 0, 0), 10, "carrier-grade NAT (100.64.0.0/10)"],
  [ip4(127, 0, 0, 0), 8, "loopback (127.0.0.0/8)"],
  [ip4(169, 254, 0, 0), 16, "link-local (169.254.0.0/16, cloud metadata lives here)"],
  [ip4(172, 16, 0, 0), 12, "a private network (172.16.0.0/12)"],
  [ip4(192, 0, 0, 0), 24, "IETF protocol assignments (192.0.0.0/24)"],
  [ip4(192, 0, 2, 0), 24, "documentation (192.0.2.0/24)"],
  [ip4(192, 88, 99, 0), 24, "6to4 relay anycast (192.88.99.0/24)"],
  [ip4(192, 168, 0, 0), 16, "a private network (192.168.0.0/16)"],
  [ip4(198, 18, 0, 0), 15, "benchmarking (198.18.0.0/15)"],
  [ip4(198, 51, 100, 0), 24, "documentation (198.51.100.0/24)"],
  [ip4(203, 0, 113, 0), 24, "documentation (203.0.113.0/24)"],
  [ip4(224, 0, 0, 0), 4, "multicast (224.0.0.0/4)"],
  [ip4(240, 0, 0, 0), 4, "reserved (240.0.0.0/4, broadcast included)"],
];

/** Names that only mean something inside a network (RFC 6761, RFC 6762, RFC 8375, cloud-internal zones). */
const PRIVATE_SUFFIXES = ["localhost", "local", "localdomain", "internal", "intranet", "lan", "home.arpa", "corp", "private"];

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/**
 * An IPv4 address in any spelling `inet_aton` accepts (1–4 parts, each decimal, octal with a leading 0 or hex
 * with 0x), as an unsigned 32-bit number; null when the text is not one.
 */
export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length > 4 || parts.some((p) => p === "")) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : Number.parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) n = Number.parseInt(p.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p);
    else return null;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop() as number;
  if (nums.some((n) => n > 255)) return null;
  if (last >= 2 ** (8 * (4 - nums.length))) return null;
  let value = 0;
  nums.forEach((n, i) => {
    value += n * 2 ** (8 * (3 - i));
  });
  return value + last;
}

/** An IPv6 address (without brackets, zone id allowed) as eight 16-bit groups; null when it is not one. */
export function parseIpv6(text: string): number[] | null {
  const addr = text.replace(/%.*$/, "").toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(addr) || !addr.includes(":")) return null;
  let tail: number[] = [];
  let head = addr;
  const lastColon = addr.lastIndexOf(":");
  if (addr.slice(lastColon + 1).includes(".")) {
    // A dotted IPv4 tail (::ffff:127.0.0.1): strictly four decimal parts here.
    const v4text = addr.slice(lastColon + 1);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v4text)) return null;
    const v4 = parseIpv4(v4text);
    if (v4 === null) return null;
    tail = [v4 >>> 16, v4 & 0xffff];
    head = addr.slice(0, lastColon);
    if (head.endsWith(":")) head = `${head}:`; // "::1.2.3.4" keeps its "::"
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  const all = [...left, ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const given = left.length + right.length + tail.length;
  if (halves.length === 1 && given !== 8) return null;
  if (halves.length === 2 && given > 7) return null;
  const zeros = halves.length === 2 ? 8 - given : 0;
  return [...left.map((g) => Number.parseInt(g, 16)), ...Array<number>(zeros).fill(0), ...right.map((g) => Number.parseInt(g, 16)), ...tail];
}

function v4Reason(v: number): string | null {
  for (const [base, bits, why] of PRIVATE_V4) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((v & mask) >>> 0 === base) return why;
  }
  return null;
}

function v6Reason(g: number[]): string | null {
  const [a = 0, b = 0] = g;
  const embedded = (hi: number, lo: number) => (((hi << 16) >>> 0) + lo) >>> 0;
  if (g.every((x) => x === 0)) return "the unspecified address (::)";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback (::1)";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d).
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    const why = v4Reason(embedded(g[6]!, g[7]!));
    return why ? `an IPv4-mapped form of ${why}` : g[5] === 0 ? "an IPv4-compatible address (deprecated, ::/96)" : null;
  }
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0xffff && g[5] === 0) {
    const why = v4Reason(embedded(g[6]!, g[7]!));
    return why ? `an IPv4-translated form of ${why}` : null;
  }
  // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) reaches the IPv4 address it embeds.
  if (a === 0x64 && b === 0xff9b) {
    if (g[2] === 1) return "local-use NAT64 (64:ff9b:1::/48)";
    const why = v4Reason(embedded(g[6]!, g[7]!));
    return why ? `a NAT64 form of ${why}` : null;
  }
  // 6to4 (2002::/16) embeds an IPv4 address in bits 16–47.
  if (a === 0x2002) {
    const why = v4Reason(embedded(g[1]!, g[2]!));
    return why ? `a 6to4 form of ${why}` : null;
  }
  if ((a & 0xfe00) === 0xfc00) return "a unique local address (fc00::/7)";
  if ((a & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((a & 0xffc0) === 0xfec0) return "site-local (fec0::/10, deprecated)";
  if ((a & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  if (a === 0x100 && b === 0 && g[2] === 0 && g[3] === 0) return "discard-only (100::/64)";
  if (a === 0x2001 && b === 0xdb8) return "documentation (2001:db8::/32)";
  if (a === 0x2001 && b < 0x200) return "IETF protocol assignments (2001::/23)";
  return null;
}

/** Why this host (as in `URL.hostname`: IPv6 in brackets) is private; null for a public one. */
export function privateHostReason(hostname: string): string | null {
  let host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    host = host.slice(1, -1);
    const g = parseIpv6(host);
    return g ? v6Reason(g) : "an address that is not valid IPv6";
  }
  if (host === "") return "an empty host";
  const v4 = parseIpv4(host);
  if (v4 !== null) return v4Reason(v4);
  const v6 = parseIpv6(host);
  if (v6) return v6Reason(v6);
  // A name with a numeric last label is no DNS name: resolvers may read it as an address (inet_aton).
  if (/^(0x[0-9a-f]*|[0-9]+)$/i.test(host.split(".").at(-1) ?? "")) return "a host that reads as a numeric address";
  for (const suffix of PRIVATE_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return `a name that only resolves inside a network (.${suffix})`;
  }
  // One label ("intranet", "metadata") is completed by the resolver's search domains: a local name.
  if (!host.includes(".")) return "a single-label name (resolved inside the local network)";
  return null;
}

/** Why this URL may not be called from a shared deployment; null when it may. */
export function privateAddressReason(url: string | URL): string | null {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    return "not a valid URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `the ${u.protocol.replace(":", "")} scheme (only http and https are called)`;
  return privateHostReason(u.hostname);
}

/** Whether this deployment may call private addresses (local development and tests only). */
export function privateUrlsAllowed(env: { ALLOW_PRIVATE_URLS?: string }): boolean {
  return env.ALLOW_PRIVATE_URLS === "true";
}

/** The refusal message: names the host (never a path or query, which may carry a key) and why. */
export function privateAddressMessage(url: string | URL, reason: string): string {
  let host = "";
  try {
    host = new URL(url).host;
  } catch {
    // an invalid URL has no host to name
  }
  return `Refused to call ${host || "this URL"}: it is ${reason}. This deployment only calls public addresses (ALLOW_PRIVATE_URLS is off).`;
}

/** The refusal for this URL on this deployment (null when it may be called); `assertPublicUrl` makes it a 400. */
export function privateUrlRefusal(env: { ALLOW_PRIVATE_URLS?: string }, url: string | URL): string | null {
  if (privateUrlsAllowed(env)) return null;
  const reason = privateAddressReason(url);
  return reason === null ? null : privateAddressMessage(url, reason);
}

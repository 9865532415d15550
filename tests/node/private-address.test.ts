/** The private-address guard (src/worker/lib/private-address.ts): every private spelling refused, public hosts kept. */
import { describe, expect, it } from "vitest";
import {
  parseIpv4,
  parseIpv6,
  privateAddressReason,
  privateHostReason,
  privateUrlRefusal,
  privateUrlsAllowed,
} from "../../src/worker/lib/private-address.ts";

describe("IPv4 spellings", () => {
  it.each([
    ["127.0.0.1", 0x7f000001],
    ["2130706433", 0x7f000001],
    ["0x7f000001", 0x7f000001],
    ["0x7f.1", 0x7f000001],
    ["0177.0.0.1", 0x7f000001],
    ["0177.1", 0x7f000001],
    ["127.1", 0x7f000001],
    ["10.0.258", 0x0a000102],
    ["0", 0],
    ["0x", 0],
    ["255.255.255.255", 0xffffffff],
  ])("%s is %d", (text, value) => {
    expect(parseIpv4(text)).toBe(value);
  });

  it.each(["256.0.0.1", "1.2.3.4.5", "1..2", "08.1.1.1", "0x1g", "4294967296", "1.16777216", "a.b.c.d", ""])("%s is no address", (text) => {
    expect(parseIpv4(text)).toBeNull();
  });
});

describe("IPv6 parsing", () => {
  it.each([
    ["::1", [0, 0, 0, 0, 0, 0, 0, 1]],
    ["::", [0, 0, 0, 0, 0, 0, 0, 0]],
    ["fe80::1%eth0", [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ["::ffff:127.0.0.1", [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ["::ffff:7f00:1", [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ["::10.0.0.1", [0, 0, 0, 0, 0, 0, 0x0a00, 1]],
    ["2606:4700::1111", [0x2606, 0x4700, 0, 0, 0, 0, 0, 0x1111]],
    ["1:2:3:4:5:6:7:8", [1, 2, 3, 4, 5, 6, 7, 8]],
  ])("%s", (text, groups) => {
    expect(parseIpv6(text)).toEqual(groups);
  });

  it.each(["1:2:3", ":::1", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "g::1", "127.0.0.1"])("%s is no address", (text) => {
    expect(parseIpv6(text)).toBeNull();
  });
});

describe("private URLs are refused", () => {
  it.each([
    // loopback, every spelling
    "http://127.0.0.1:1234/v1",
    "http://127.255.255.254/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::1]:8080/v1",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[2002:7f00:1::]/",
    // this network / unspecified
    "http://0.0.0.0:11434/",
    "http://0/",
    "http://[::]/",
    // RFC 1918
    "http://10.0.0.1/",
    "http://10.255.255.255/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.20:1234/v1",
    "http://3232235777/", // 192.168.1.1
    "http://[::ffff:192.168.1.1]/",
    "http://[::ffff:c0a8:101]/",
    // link-local and cloud metadata
    "http://169.254.169.254/latest/meta-data/",
    "http://0xa9fea9fe/",
    "http://[fe80::1]/",
    "http://[fe80::1%25eth0]/",
    "http://[febf::1]/",
    // CGNAT
    "http://100.64.0.1/",
    "http://100.127.255.255/",
    // ULA, site-local, multicast, documentation
    "http://[fc00::1]/",
    "http://[fd12:3456:789a::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[2001:db8::1]/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
    "http://192.0.2.1/",
    "http://198.18.0.1/",
    // names
    "http://localhost:1234/v1",
    "http://LOCALHOST/",
    "http://localhost./",
    "http://api.localhost/",
    "http://printer.local/",
    "http://metadata.google.internal/",
    "http://router.home.arpa/",
    "http://intranet/",
    "http://foo.bar.0x7f/",
    "http://example.123/",
    // schemes
    "ftp://example.com/",
    "file:///etc/passwd",
    "not a url",
  ])("%s", (url) => {
    expect(privateAddressReason(url), url).not.toBeNull();
  });
});

describe("public URLs pass", () => {
  it.each([
    "https://api.openai.com/v1",
    "https://api.anthropic.com",
    "https://generativelanguage.googleapis.com/v1beta/openai",
    "http://8.8.8.8/",
    "http://1.1.1.1:8080/v1",
    "http://172.15.255.255/", // just below 172.16/12
    "http://172.32.0.1/", // just above it
    "http://100.63.255.255/", // just below CGNAT
    "http://100.128.0.1/", // just above it
    "http://169.253.0.1/",
    "http://192.169.0.1/",
    "http://11.0.0.1/",
    "http://[2606:4700:4700::1111]/",
    "http://[::ffff:8.8.8.8]/",
    "https://localhost.example.com/",
    "https://my-local-llm.example.org:8443/v1",
  ])("%s", (url) => {
    expect(privateAddressReason(url), url).toBeNull();
  });

  it("reads a host with trailing dots and capitals", () => {
    expect(privateHostReason("API.OPENAI.COM.")).toBeNull();
    expect(privateHostReason("LocalHost.")).not.toBeNull();
  });
});

describe("the deployment switch and the refusal", () => {
  it("allows private URLs only when ALLOW_PRIVATE_URLS is exactly 'true'", () => {
    expect(privateUrlsAllowed({ ALLOW_PRIVATE_URLS: "true" })).toBe(true);
    for (const v of [undefined, "", "false", "1", "TRUE", "yes"]) expect(privateUrlsAllowed({ ALLOW_PRIVATE_URLS: v })).toBe(false);
    expect(privateUrlRefusal({ ALLOW_PRIVATE_URLS: "true" }, "http://127.0.0.1/")).toBeNull();
    expect(privateUrlRefusal({ ALLOW_PRIVATE_URLS: "false" }, "https://api.openai.com/v1")).toBeNull();
    expect(privateUrlRefusal({}, "http://127.0.0.1/")).not.toBeNull();
  });

  it("names the host and why, never the path or query (which may carry a key)", () => {
    const message = privateUrlRefusal({}, "http://10.1.2.3:8000/v1/secret-path?key=sk-abc") ?? "";
    expect(message).toContain("10.1.2.3:8000");
    expect(message).toContain("private network");
    expect(message).toContain("ALLOW_PRIVATE_URLS");
    expect(message).not.toContain("secret-path");
    expect(message).not.toContain("sk-abc");
  });
});

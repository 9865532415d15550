/**
 * What kind of text a string parameter wants (a date, a room, a person, a message, a name …), from its name,
 * description and format. Its own module because strings and lists both decide how to read by it.
 */

import type { Schema } from "./read-context.ts";
import { identifierWords } from "./words.ts";

type StringKind =
  | "datetime"
  | "date"
  | "clock"
  | "shaped"
  | "url"
  | "email"
  | "address"
  | "place"
  | "room"
  | "device"
  | "command"
  | "person"
  | "proper"
  | "message"
  | "naming"
  | "unit"
  | "modifier"
  | "generic";

export function stringKind(name: string, schema: Schema): StringKind {
  const n = identifierWords(name);
  const desc = typeof schema.description === "string" ? schema.description.toLowerCase() : "";
  const has = (...ws: string[]) => ws.some((w) => n.includes(w));
  if (schema.format === "date-time" || /iso 8601 datetime|yyyy-mm-ddthh|date and time|datetime/.test(desc)) return "datetime";
  if (schema.format === "date" || /iso 8601 date|yyyy-mm-dd|\bdates?\b/.test(desc) || n[n.length - 1] === "date") return "date";
  if (has("url", "link", "uri")) return "url";
  const last = n[n.length - 1] ?? "";
  if (n.length >= 2 && ["name", "title"].includes(last)) {
    // player_name, artist_name → a person; team_name, hotel_name, game_name → a proper name.
    if (has(...PERSON_NOUNS)) return "person";
    if (!has("list", "file", "variable", "function", "field", "column", "table", "key")) return "proper";
  }
  if (has("unit", "units") && !has("price", "cost", "count", "number")) return "unit";
  if (n.length >= 2 && ["type", "kind", "style", "category", "class"].includes(last) && !Array.isArray(schema.enum)) return "modifier";
  if (has("email") && !/method|type/.test(desc)) return "email";
  if (has("address")) return "address";
  if (has("city", "location", "place", "destination", "origin", "country", "state", "region", "town", "venue", "airport")) return "place";
  if (has("room", "speaker", "speakers", "zone")) return "room";
  if (has("device", "appliance", "target")) return "device";
  if (has("command", "action")) return "command";
  if (has("recipient", "person", "contact", "attendee", "assignee", "invitee", "to") || /name of the person|person's name|person name/.test(desc))
    return "person";
  if (has("store", "shop", "restaurant", "brand", "company", "vendor", "merchant", "team", "organization", "author")) return "proper";
  if (has("message", "text", "body", "content", "note", "notes", "comment", "subject", "reason", "query", "question", "prompt", "description"))
    return "message";
  if (
    has("name") &&
    n.length <= 2 &&
    PERSON_NOUNS.concat(["athlete", "celebrity", "politician", "musician", "individual"]).some((p) => new RegExp(`\\b${p}`).test(desc))
  )
    return "person";
  if (has("name", "title", "label", "playlist", "nickname", "tag")) return "naming";
  if (has("time", "clock", "hour") || /hh:mm/.test(desc)) return "clock";
  if (/e\.g\.|for example|such as/.test(desc) && /'[^']+'/.test(desc)) return "shaped";
  return "generic";
}

const PERSON_NOUNS = [
  "player",
  "artist",
  "author",
  "singer",
  "person",
  "user",
  "customer",
  "patient",
  "employee",
  "director",
  "actor",
  "scientist",
  "composer",
  "painter",
  "athlete",
  "student",
  "teacher",
  "doctor",
  "owner",
  "guest",
  "passenger",
  "driver",
  "contact",
  "recipient",
  "sender",
  "friend",
  "member",
  "candidate",
  "creator",
  "inventor",
  "writer",
];

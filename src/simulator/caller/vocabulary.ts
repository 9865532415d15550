/**
 * What the simulated caller knows about English beyond the words it is given: stop words, related-word
 * groups, household places, number words and cues for common enum and yes/no values. Small on purpose:
 * a word outside it is matched only as written (after stemming).
 */

import { stem } from "./words.ts";

const stems = (list: string): Set<string> => new Set(list.split(/\s+/).filter(Boolean).map(stem));

/** Words that carry no topic. */
export const STOP = stems(`
  a an the this that these those it its it's is are was were be been being am do does did done have has had
  i me my mine we us our you your he him his she her they them their there here what which who whom whose
  when where why how whether if then than so and or but nor not no yes to of in on at by for with from into
  onto over under about as up down out off just very really please can could would should will shall may might
  must let lets get got some any all each every both either neither one ones also too only still already now
  right like want need needs'd i'm i'll i've it’s don't doesn't won't can't whatever something anything thing
  again more most much many few other another own same such way new current currently
`);

/** Name/description words that say little about what a tool is for (low weight in matching). */
export const GENERIC = stems(`
  get set create make add update delete remove find search calculate compute retrieve fetch list check send
  do run execute info information data detail details manage handle process control query lookup look show
  give return returns provide provides value values result results specific given based using use user request calc
  function tool api call item items number name type optional required default
`);

/**
 * Groups of words that point at the same topic. A text word in a group matches a tool word in the same
 * group (at a discount against the word itself).
 */
export const CONCEPTS: Set<string>[] = [
  `time clock date today day noon midnight o'clock hour am pm morning afternoon evening night tonight sunday
   monday tuesday wednesday thursday friday saturday past yet started window late early`,
  `weather rain raining umbrella sky sunny sun snow snowy cloud cloudy forecast wind windy storm humid
   humidity cold warm hot freezing chilly temperature outside conditions degrees`,
  `light lights lamp lamps dark bright brightness dim lighting bulb`,
  `timer remind reminder alarm countdown wake nap`,
  `music play playlist song songs track tracks speaker speakers shuffle tune album listen radio jazz mix`,
  `notification notify notifications message text sms email mail push alert tell inform know ping`,
  `shopping shop grocery groceries buy store supplies purchase cart errands`,
  `routine automation automate automatic trigger triggers`,
  `schedule event meeting appointment calendar book invite standup lunch dinner class review session`,
  `thermostat temperature degrees heat heating warm warmer cool cooling cold colder freezing hot hvac ac
   air conditioning`,
  `create make new start add build set up setup`,
  `weekly week weekday weekdays weekend weekends`,
  `monthly month`,
  `daily day days`,
  `yearly year annual annually`,
  `price cost costs expensive cheap budget pay fee`,
  `distance far route travel trip drive miles kilometers`,
  `movie film cinema`,
  `food eat restaurant meal dish order`,
  `velocity speed`,
  `initial start starting begin beginning present`,
  `principal principle investment deposit invested`,
  `rate interest percentage percent`,
  `probability chance odds likelihood`,
  `convert conversion`,
  `population people inhabitants`,
].map(stems);

/** Rooms and places in a home (longest first so "living room" wins over "room"). */
export const ROOMS: string[] = [
  "living room",
  "dining room",
  "conference room",
  "guest room",
  "kids room",
  "laundry room",
  "family room",
  "master bedroom",
  "home office",
  "boardroom",
  "bedroom",
  "kitchen",
  "bathroom",
  "garage",
  "office",
  "nursery",
  "hallway",
  "hall",
  "playroom",
  "gym",
  "basement",
  "attic",
  "patio",
  "porch",
  "garden",
  "backyard",
  "den",
  "study",
  "lounge",
].sort((a, b) => b.length - a.length);

export const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  dozen: 12,
  couple: 2,
  single: 1,
  double: 2,
  half: 0.5,
};

/**
 * Cues for enum values beyond the value's own word: phrases that select a value, strongest first.
 * Keys are enum values (lower case); a cue is matched as a phrase in the lower-cased text.
 */
export const ENUM_CUES: Record<string, string[]> = {
  on: ["turn on", "turns on", "switch on", "turn the", "light up", "getting dark", "too dark", "dark", "can't see"],
  off: [
    "turn off",
    "turns off",
    "switch off",
    "shut off",
    "no need",
    "anymore",
    "nobody",
    "no one",
    "has been on",
    "left on",
    "still on",
    "not needed",
    "kill",
  ],
  heat: ["warm", "warmer", "heat", "heating", "freezing", "cold", "chilly"],
  cool: ["cool", "cooling", "hot", "too warm", "air conditioning"],
  auto: ["figure out", "automatic", "automatically", "either", "whichever", "let the system"],
  sms: ["text", "texting", "sms", "via text", "by text"],
  email: ["email", "e-mail", "mail"],
  push: ["push", "notification"],
  time: ["at", "o'clock", "am", "pm", "noon"],
  event: ["when", "event", "called", "happens"],
  sensor: ["sensor", "reads", "above", "below"],
  physical: ["in person", "in-person", "in the", "room", "street", "st", "address", "at the"],
  virtual: ["virtual", "online", "zoom", "video call", "remote"],
  hybrid: ["hybrid"],
  celsius: ["celsius", "°c", "centigrade"],
  fahrenheit: ["fahrenheit", "°f"],
  metric: ["metric", "celsius", "kilometers"],
  imperial: ["imperial", "fahrenheit", "miles"],
  high: ["high", "urgent", "important", "asap"],
  low: ["low", "no rush", "whenever"],
};

/** Day enum values and the words that select them. */
export const DAY_WORDS: Record<string, string[]> = {
  weekday: ["mon", "tue", "wed", "thu", "fri"],
  weekdays: ["mon", "tue", "wed", "thu", "fri"],
  weekend: ["sat", "sun"],
  weekends: ["sat", "sun"],
  monday: ["mon"],
  tuesday: ["tue"],
  wednesday: ["wed"],
  thursday: ["thu"],
  friday: ["fri"],
  saturday: ["sat"],
  sunday: ["sun"],
};

/** Yes/no parameters: words for "yes" and phrases that say "no", keyed by the parameter's stem. */
export const BOOLEAN_CUES: Record<string, { yes: string[]; no: string[] }> = {
  shuffle: { yes: ["shuffle", "mix it up", "random order", "randomize"], no: ["no shuffle", "don't shuffle", "in order", "track order"] },
  urgent: { yes: ["urgent", "urgently", "asap", "right away", "immediately", "emergency"], no: ["no rush", "not urgent", "whenever"] },
  enabl: { yes: ["enabled", "enable", "active", "turned on"], no: ["disabled", "disable", "inactive", "off by default", "turned off"] },
  activ: { yes: ["active", "enabled"], no: ["inactive", "disabled"] },
  repeat: { yes: ["repeat", "loop", "on repeat"], no: ["no repeat", "once"] },
};

/** Nouns that end a label without adding to it ("the laundry cycle" → "laundry"). */
export const FILLER_NOUNS = stems("cycle session thing stuff load bit");

/** Words that open a request for text rather than an action ("Tell me a joke about clouds"). */
export const CHAT_CUES = stems("joke poem story haiku riddle limerick essay lyrics");

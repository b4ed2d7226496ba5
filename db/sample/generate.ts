// Deterministic, realistic sample data: an agency with offices in several countries, its staff,
// owners and properties, two years of bookings (18 months back, 6 ahead of `today`), turnover
// cleanings, upkeep, and the ledger behind them. Rows use the drizzle schema's field names.
import { isCalendarDate } from '../domain/dates.js';
import type { PropertyType, ReservationStatus, UserRole } from '../domain/enums.js';
import { idAt } from '../domain/ids.js';
import { minorUnitDigits, shareOf } from '../domain/money.js';
import type * as schema from '../schema/sqlite.js';
import {
  ACCESS_NOTES,
  ADJECTIVES,
  BASE_AMENITIES,
  BEDROOMS,
  CITIES,
  DESCRIPTION_TAILS,
  EXTRA_AMENITIES,
  FUTURE_STATUSES,
  GAP_NIGHTS,
  GUEST_ORIGINS,
  HOUSE_RULES,
  PARTY_SIZES,
  PAST_STATUSES,
  PEOPLE,
  PRIORITIES,
  PRIVATE_DOMAINS,
  PROPERTIES_PER_OWNER,
  PROPERTY_STATUS_MIX,
  PROPERTY_TAGS,
  PROPERTY_TYPES_MIX,
  SOURCES,
  SPECIAL_REQUESTS,
  STAY_NIGHTS,
  TYPE_NOUNS,
  TYPE_PRICE_FACTOR,
  UPKEEP_TITLES,
  UPKEEP_TYPES,
  type City,
  type People,
  type UpkeepType,
} from './catalogue.js';
import { Random } from './random.js';

export type UserRow = typeof schema.users.$inferInsert;
export type LocationRow = typeof schema.locations.$inferInsert;
export type PropertyRow = typeof schema.properties.$inferInsert;
export type ReservationRow = typeof schema.reservations.$inferInsert;
export type TaskRow = typeof schema.tasks.$inferInsert;
export type LedgerEntryRow = typeof schema.ledgerEntries.$inferInsert;

export interface SampleData {
  users: UserRow[];
  locations: LocationRow[];
  properties: PropertyRow[];
  reservations: ReservationRow[];
  tasks: TaskRow[];
  ledgerEntries: LedgerEntryRow[];
}

export type SampleSize = 'demo' | 'scale';

export interface SampleOptions {
  size: SampleSize;
  seed?: string;
  /** The data's "today", YYYY-MM-DD: statuses and timestamps are as of its midday (UTC). */
  today: string;
}

/** demo backs the "load sample data" button; scale is for benchmarks and load testing. */
export const SAMPLE_SIZES: Record<SampleSize, { properties: number; cities: number }> = {
  demo: { properties: 24, cities: 4 },
  scale: { properties: 1_000, cities: 9 },
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const HISTORY_DAYS = 548;
const FUTURE_DAYS = 183;

const PLATFORM_FEE_BP: Record<string, number> = { airbnb: 300, booking: 1_500, vrbo: 500, direct: 0 };
const CARD_FEE_BP = 140;
const AGENCY_COMMISSION_BP = 2_000;

interface Context {
  rng: Random;
  /** Day numbers (days since 1970-01-01). */
  today: number;
  windowStart: number;
  windowEnd: number;
  /** The snapshot instant: nothing is created or changed after it. */
  nowMs: number;
  users: UserRow[];
  emails: Map<string, number>;
  guests: Guest[];
}

interface Office {
  city: City;
  row: LocationRow;
  openedDay: number;
  /** Minor units per major unit: 100 for EUR, 1 for JPY. */
  unit: number;
  agents: string[];
  cleaners: string[];
  maintenance: string[];
}

interface Listing {
  office: Office;
  row: PropertyRow & { ownerId: string; capacity: number };
  createdMs: number;
  nightlyMajor: number;
  cleaningFeeMinor: number;
  /** Bookable days: [from, to). */
  from: number;
  to: number;
  /** Days closed for works, [start, end). */
  blocked: readonly [number, number] | null;
}

interface Guest {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

interface Stay {
  listing: Listing;
  checkIn: number;
  checkOut: number;
  status: ReservationStatus;
  source: string;
  totalMinor: number;
  bookedMs: number;
  paidMs: number | null;
  updatedMs: number;
  refundMs: number | null;
  /** The next active stay arrives on this one's check-out day. */
  turnover: boolean;
  reservationId: string;
  guest: Guest | null;
  /** The turnover clean, once done and paid for. */
  cleaning: { taskId: string; cleanerId: string; costMinor: number; completedMs: number } | null;
}

export function generateSampleData(options: SampleOptions): SampleData {
  if (!isCalendarDate(options.today)) throw new RangeError(`today "${options.today}" is not a YYYY-MM-DD date`);
  const preset = SAMPLE_SIZES[options.size];
  const ctx = createContext(options.seed ?? 'roomy', options.today);

  const cities = CITIES.slice(0, preset.cities);
  const perCity = allocate(preset.properties, cities.map(cityWeight));
  const offices = cities.map((city, i) => createOffice(ctx, city, i));
  createManagers(ctx, offices, preset.properties);
  offices.forEach((office, i) => hireStaff(ctx, office, perCity[i] ?? 0));
  const listings = offices.flatMap((office, i) => createListings(ctx, office, perCity[i] ?? 0));

  const stays = listings.flatMap((listing) => planStays(ctx, listing)).sort((a, b) => a.bookedMs - b.bookedMs);
  const reservations = stays.map((stay) => bookStay(ctx, stay));
  const tasks = stays.flatMap((stay) => cleaningTask(ctx, stay) ?? []);
  const ledgerEntries: LedgerEntryRow[] = [];
  for (const stay of stays) recordStay(ctx, stay, ledgerEntries);
  for (const listing of listings) upkeep(ctx, listing, tasks, ledgerEntries);

  return {
    users: byCreatedAt(ctx.users),
    locations: offices.map((o) => o.row),
    properties: byCreatedAt(listings.map((l) => l.row)),
    reservations,
    tasks: byCreatedAt(tasks),
    ledgerEntries: byCreatedAt(ledgerEntries),
  };
}

const cityWeight = (city: City) => city.weight;

function createContext(seed: string, todayDate: string): Context {
  const today = dayOf(todayDate);
  return {
    rng: new Random(seed),
    today,
    windowStart: today - HISTORY_DAYS,
    windowEnd: today + FUTURE_DAYS,
    nowMs: today * DAY_MS + 12 * HOUR_MS,
    users: [],
    emails: new Map(),
    guests: [],
  };
}

// ---- Offices, staff and owners ----

function createOffice(ctx: Context, city: City, index: number): Office {
  const { rng } = ctx;
  // The agency opened its offices one after another, all before the sample's history starts.
  const openedDay = ctx.windowStart - 1_000 + index * rng.int(30, 90);
  const createdMs = localTime(ctx, city, openedDay, 9, 18);
  const row: LocationRow = {
    id: idAt(createdMs, rng.bytes(16)),
    name: city.name,
    city: city.city,
    country: city.country,
    region: city.region,
    coordinates: { lat: city.lat, lng: city.lng },
    timeZone: city.timeZone,
    currency: city.currency,
    isActive: true,
    createdAt: iso(createdMs),
    updatedAt: iso(createdMs),
  };
  const unit = 10 ** minorUnitDigits(city.currency);
  return { city, row, openedDay, unit, agents: [], cleaners: [], maintenance: [] };
}

function createManagers(ctx: Context, offices: Office[], properties: number): void {
  const head = offices[0];
  if (!head) return;
  for (let i = 0; i < Math.max(1, Math.round(properties / 250)); i++) hire(ctx, head, 'MANAGER');
}

/** Staff per office scale with its portfolio; every office has at least one of each. */
function hireStaff(ctx: Context, office: Office, properties: number): void {
  const count = (perPerson: number) => Math.max(1, Math.round(properties / perPerson));
  for (let i = 0; i < count(50); i++) office.agents.push(hire(ctx, office, 'AGENT'));
  for (let i = 0; i < count(25); i++) office.cleaners.push(hire(ctx, office, 'CLEANER'));
  for (let i = 0; i < count(60); i++) office.maintenance.push(hire(ctx, office, 'MAINTENANCE_STAFF'));
}

function hire(ctx: Context, office: Office, role: UserRole): string {
  const day = Math.min(office.openedDay + ctx.rng.int(0, 150), ctx.windowStart - 1);
  const createdMs = localTime(ctx, office.city, day, 9, 18);
  const lastLoginMs = ctx.nowMs - ctx.rng.int(1, 14 * 24) * HOUR_MS;
  return addUser(ctx, {
    role,
    people: PEOPLE[office.city.country] ?? PEOPLE.GB,
    createdMs,
    domain: 'example.com',
    verified: true,
    lastLoginMs,
  }).id;
}

function createOwner(ctx: Context, office: Office): { id: string; joinedDay: number } {
  const { rng } = ctx;
  // Most owners joined before the history starts; some were onboarded during it.
  const joinedDay = rng.chance(0.85)
    ? rng.int(office.openedDay, ctx.windowStart - 30)
    : rng.int(ctx.windowStart, ctx.today - 90);
  const createdMs = localTime(ctx, office.city, joinedDay, 9, 19);
  const people = rng.chance(0.8) ? (PEOPLE[office.city.country] ?? PEOPLE.GB) : PEOPLE[rng.weighted(GUEST_ORIGINS)];
  const lastLoginMs = rng.chance(0.6) ? ctx.nowMs - rng.int(1, 60 * 24) * HOUR_MS : null;
  const owner = addUser(ctx, {
    role: 'OWNER',
    people: people ?? PEOPLE.GB,
    createdMs,
    domain: rng.pick(PRIVATE_DOMAINS),
    verified: true,
    lastLoginMs,
  });
  return { id: owner.id, joinedDay };
}

interface NewUser {
  role: UserRole;
  people: People;
  createdMs: number;
  domain: string;
  verified: boolean;
  lastLoginMs: number | null;
  status?: UserRow['status'];
  withPhone?: boolean;
}

function addUser(ctx: Context, user: NewUser): UserRow {
  const { rng } = ctx;
  const firstName = rng.pick(user.people.first);
  const lastName = rng.pick(user.people.last);
  const lastLoginMs = user.lastLoginMs === null ? null : Math.max(user.lastLoginMs, user.createdMs);
  const row: UserRow = {
    id: idAt(user.createdMs, rng.bytes(16)),
    email: uniqueEmail(ctx, firstName, lastName, user.domain),
    phone: user.withPhone === false ? null : phoneNumber(rng, user.people.phone),
    firstName,
    lastName,
    role: user.role,
    status: user.status ?? 'ACTIVE',
    avatar: null,
    country: user.people.country,
    flag: flagOf(user.people.country),
    isVerified: user.verified,
    lastLoginAt: lastLoginMs === null ? null : iso(lastLoginMs),
    createdAt: iso(user.createdMs),
    updatedAt: iso(lastLoginMs ?? user.createdMs),
  };
  ctx.users.push(row);
  return row;
}

/** ana.silva@example.net, then ana.silva2@example.net, and so on. */
function uniqueEmail(ctx: Context, first: string, last: string, domain: string): string {
  const base = `${slug(first)}.${slug(last)}`;
  const key = `${base}@${domain}`;
  const seen = (ctx.emails.get(key) ?? 0) + 1;
  ctx.emails.set(key, seen);
  return seen === 1 ? key : `${base}${seen}@${domain}`;
}

// ---- Properties ----

function createListings(ctx: Context, office: Office, count: number): Listing[] {
  const listings: Listing[] = [];
  while (listings.length < count) {
    const owner = createOwner(ctx, office);
    const owned = Math.min(count - listings.length, ctx.rng.weighted(PROPERTIES_PER_OWNER));
    for (let i = 0; i < owned; i++) listings.push(createListing(ctx, office, owner, listings.length + 1));
  }
  return listings;
}

function createListing(ctx: Context, office: Office, owner: { id: string; joinedDay: number }, n: number): Listing {
  const { rng } = ctx;
  const { city, unit } = office;
  const type = rng.weighted(PROPERTY_TYPES_MIX);
  const bedrooms = type === 'STUDIO' ? 0 : rng.weighted(BEDROOMS[type]);
  const createdDay = Math.min(owner.joinedDay + rng.int(0, 45), ctx.today - 60);
  const createdMs = localTime(ctx, city, createdDay, 9, 19);
  const nightlyMajor = roundNice(
    city.nightly * TYPE_PRICE_FACTOR[type] * (1 + 0.2 * Math.max(0, bedrooms - 1)) * (0.85 + 0.35 * rng.next()),
  );
  const cleaningFeeMinor = roundNice(city.nightly * (0.25 + 0.08 * bedrooms)) * unit;
  const status = rng.weighted(PROPERTY_STATUS_MIX);
  const from = Math.max(ctx.windowStart, createdDay + rng.int(3, 14));
  const to = status === 'INACTIVE' ? ctx.today - rng.int(10, 150) : ctx.windowEnd;
  const blocked = status === 'MAINTENANCE' ? ([ctx.today - rng.int(1, 5), ctx.today + rng.int(7, 21)] as const) : null;
  const noun = rng.pick(TYPE_NOUNS[type]);
  const adjective = rng.pick(ADJECTIVES);
  const hood = rng.pick(city.neighbourhoods);
  const capacity = bedrooms === 0 ? rng.int(2, 3) : bedrooms * 2 + (rng.chance(0.4) ? rng.int(1, 2) : 0);
  const title = `${adjective} ${bedrooms > 0 ? `${bedrooms}-bedroom ` : ''}${noun.toLowerCase()} in ${hood}`;
  const updatedMs =
    status === 'ACTIVE' ? createdMs : Math.max(createdMs, localTime(ctx, city, Math.min(to, ctx.today - 1), 9, 18));

  const row: Listing['row'] = {
    id: idAt(createdMs, rng.bytes(16)),
    name: `${hood} ${adjective} ${noun}`,
    nickname: rng.chance(0.92) ? `${city.code}-${String(n).padStart(3, '0')}` : null,
    title,
    status,
    type,
    address: address(rng, city, hood),
    locationId: office.row.id,
    ownerId: owner.id,
    agentId: rng.pick(office.agents),
    capacity,
    bedrooms,
    bathrooms: bedrooms <= 1 ? (rng.chance(0.15) ? 1.5 : 1) : Math.ceil(bedrooms / 2) + (rng.chance(0.5) ? 0.5 : 0),
    area: areaOf(rng, type, bedrooms),
    pricePerNightMinor: nightlyMajor * unit,
    currency: city.currency,
    description: `${title}. Sleeps ${capacity}; ${rng.pick(DESCRIPTION_TAILS)}`,
    accessNotes: rng.pick(ACCESS_NOTES),
    pricelabId: rng.chance(0.3) ? `pl-${rng.uint32().toString(36)}` : null,
    airbnbId: rng.chance(0.85) ? String(rng.int(10_000_000, 99_999_999)) : null,
    bookingId: rng.chance(0.6) ? String(rng.int(1_000_000, 9_999_999)) : null,
    primaryImage: null,
    tags: rng.sample(PROPERTY_TAGS, rng.int(1, 3)),
    amenities: [...BASE_AMENITIES, ...rng.sample(EXTRA_AMENITIES, rng.int(3, 8))],
    houseRules: ['No smoking', ...rng.sample(HOUSE_RULES, rng.int(1, 3))],
    archivedAt: null,
    createdAt: iso(createdMs),
    updatedAt: iso(updatedMs),
  };
  return { office, row, createdMs, nightlyMajor, cleaningFeeMinor, from, to, blocked };
}

function areaOf(rng: Random, type: PropertyType, bedrooms: number): number {
  if (type === 'STUDIO') return rng.int(22, 40);
  const garden = type === 'HOUSE' || type === 'VILLA' ? rng.int(20, 60) : 0;
  return bedrooms * rng.int(22, 32) + rng.int(20, 45) + garden;
}

function address(rng: Random, city: City, hood: string): string {
  const street = rng.pick(city.streets);
  switch (city.addressStyle) {
    case 'street-first':
      return `${street} ${rng.int(1, 180)}, ${hood}, ${city.city}`;
    case 'number-first':
      return `${rng.int(1, 480)} ${street}, ${hood}, ${city.city}`;
    case 'japanese':
      return `${rng.int(1, 4)}-${rng.int(1, 30)}-${rng.int(1, 20)} ${street}, ${hood}, ${city.city}`;
  }
}

// ---- Reservations ----

/** Walks the property's calendar: a gap, a stay, a gap... Cancelled stays free their nights. */
function planStays(ctx: Context, listing: Listing): Stay[] {
  const { rng } = ctx;
  const stays: Stay[] = [];
  let lastActive: Stay | null = null;
  let cursor = listing.from;
  for (;;) {
    const checkIn = cursor + rng.weighted(GAP_NIGHTS) + lowSeasonGap(rng, listing, cursor);
    const checkOut = checkIn + rng.weighted(STAY_NIGHTS);
    if (checkIn >= listing.to) break;
    if (listing.blocked && checkIn < listing.blocked[1] && checkOut > listing.blocked[0]) {
      cursor = listing.blocked[1];
      continue;
    }
    const stay = planStay(ctx, listing, checkIn, checkOut);
    stays.push(stay);
    if (isActive(stay.status)) {
      if (lastActive?.checkOut === checkIn) lastActive.turnover = true;
      lastActive = stay;
      cursor = checkOut;
    }
  }
  return stays;
}

/** Off-season calendars have more empty nights between stays. */
function lowSeasonGap(rng: Random, listing: Listing, day: number): number {
  return rng.chance(0.25 * (1 - seasonOf(listing.office.city, day))) ? rng.int(1, 5) : 0;
}

function planStay(ctx: Context, listing: Listing, checkIn: number, checkOut: number): Stay {
  const { rng } = ctx;
  const { city } = listing.office;
  const status = stayStatus(ctx, checkIn, checkOut);
  const source = rng.weighted(SOURCES);
  const bookedMs = bookingTime(ctx, listing, checkIn);
  const paid = status !== 'PENDING' && (status !== 'CANCELLED' || rng.chance(0.7));
  const paidMs = paid ? bookedMs + rng.int(1, 30) * MINUTE_MS : null;
  const checkInMs = localTime(ctx, city, checkIn, 15, 16);
  const at = (ms: number) => clamp(ms, bookedMs, ctx.nowMs);

  let updatedMs = paidMs ?? bookedMs;
  let refundMs: number | null = null;
  if (status === 'CHECKED_OUT') updatedMs = at(localTime(ctx, city, checkOut, 9, 12));
  else if (status === 'CHECKED_IN') updatedMs = at(checkInMs + rng.int(0, 300) * MINUTE_MS);
  else if (status === 'NO_SHOW') updatedMs = at(localTime(ctx, city, checkIn + 1, 9, 11));
  else if (status === 'CANCELLED') {
    const from = paidMs ?? bookedMs;
    updatedMs = from + Math.floor(rng.next() * Math.max(0, Math.min(checkInMs, ctx.nowMs) - from));
    if (paid) refundMs = Math.min(updatedMs + rng.int(1, 72) * HOUR_MS, ctx.nowMs);
  }

  return {
    listing,
    checkIn,
    checkOut,
    status,
    source,
    totalMinor: stayTotal(rng, listing, checkIn, checkOut),
    bookedMs,
    paidMs,
    updatedMs,
    refundMs,
    turnover: false,
    reservationId: '',
    guest: null,
    cleaning: null,
  };
}

function stayStatus(ctx: Context, checkIn: number, checkOut: number): ReservationStatus {
  if (checkOut <= ctx.today) return ctx.rng.weighted(PAST_STATUSES);
  if (checkIn <= ctx.today) return 'CHECKED_IN';
  return ctx.rng.weighted(FUTURE_STATUSES);
}

/** Check-in minus a lead time (mean ~30 days), and never after the snapshot. */
function bookingTime(ctx: Context, listing: Listing, checkIn: number): number {
  const { rng } = ctx;
  const lead = Math.min(365, Math.floor(rng.exponential(30)));
  const latest = ctx.nowMs - HOUR_MS;
  let ms = localTime(ctx, listing.office.city, checkIn - lead, 7, 23);
  // A stay not yet booked by now would be; lead times are memoryless, so draw the rest afresh.
  if (ms > latest) ms = latest - Math.floor(rng.exponential(30 * DAY_MS));
  return Math.max(ms, listing.createdMs + HOUR_MS);
}

/** Nights at a seasonal rate (±20% over the year, ±5% noise) plus the cleaning fee. */
function stayTotal(rng: Random, listing: Listing, checkIn: number, checkOut: number): number {
  const season = 1 + 0.2 * seasonOf(listing.office.city, checkIn);
  const nightly = Math.round(listing.nightlyMajor * season * (0.95 + 0.1 * rng.next())) * listing.office.unit;
  return (checkOut - checkIn) * nightly + listing.cleaningFeeMinor;
}

/** Stays are booked in time order, so a returning guest is always one who booked before. */
function bookStay(ctx: Context, stay: Stay): ReservationRow {
  const { rng } = ctx;
  const { listing } = stay;
  const guest = chooseGuest(ctx, stay);
  stay.guest = guest;
  stay.reservationId = idAt(stay.bookedMs, rng.bytes(16));
  return {
    id: stay.reservationId,
    propertyId: listing.row.id,
    guestId: guest.id,
    agentId: listing.row.agentId,
    checkIn: dateOf(stay.checkIn),
    checkOut: dateOf(stay.checkOut),
    guests: Math.min(listing.row.capacity, rng.weighted(PARTY_SIZES)),
    status: stay.status,
    totalMinor: stay.totalMinor,
    currency: listing.row.currency,
    guestName: guest.name,
    guestEmail: guest.email,
    guestPhone: guest.phone,
    source: stay.source,
    sourceId: sourceId(rng, stay.source),
    specialRequests: rng.chance(0.1) ? rng.pick(SPECIAL_REQUESTS) : null,
    notes: null,
    createdAt: iso(stay.bookedMs),
    updatedAt: iso(stay.updatedMs),
  };
}

function chooseGuest(ctx: Context, stay: Stay): Guest {
  const { rng } = ctx;
  if (ctx.guests.length > 0 && rng.chance(0.3)) return rng.pick(ctx.guests);
  // Some guests are domestic travellers; the rest come from the usual markets.
  const origin = rng.chance(0.25) ? stay.listing.office.city.country : rng.weighted(GUEST_ORIGINS);
  const row = addUser(ctx, {
    role: 'GUEST',
    people: PEOPLE[origin] ?? PEOPLE.GB,
    createdMs: stay.bookedMs - rng.int(2, 240) * MINUTE_MS,
    domain: rng.pick(PRIVATE_DOMAINS),
    verified: rng.chance(0.6),
    lastLoginMs: null,
    status: rng.chance(0.03) ? 'VIP' : 'ACTIVE',
    withPhone: rng.chance(0.85),
  });
  const guest = { id: row.id, name: `${row.firstName} ${row.lastName}`, email: row.email, phone: row.phone ?? null };
  ctx.guests.push(guest);
  return guest;
}

function sourceId(rng: Random, source: string): string | null {
  const code = () => rng.uint32().toString(36).toUpperCase().padStart(7, '0');
  if (source === 'airbnb') return `HM${code()}`;
  if (source === 'booking') return String(rng.int(1_000_000_000, 4_000_000_000));
  if (source === 'vrbo') return `HA-${code()}`;
  return null;
}

// ---- Tasks ----

/** Every checked-out or current stay gets a turnover clean on its check-out day. */
function cleaningTask(ctx: Context, stay: Stay): TaskRow | null {
  if (stay.status !== 'CHECKED_OUT' && stay.status !== 'CHECKED_IN') return null;
  const { rng } = ctx;
  const { listing } = stay;
  const { city } = listing.office;
  const scheduledMs = localTime(ctx, city, stay.checkOut, 11, 12);
  const createdMs = clamp(localTime(ctx, city, stay.checkIn, 15, 16), stay.bookedMs, ctx.nowMs);
  const done = stay.checkOut < ctx.today;
  const completedMs = done ? scheduledMs + rng.int(90, 210) * MINUTE_MS : null;
  const fee = listing.cleaningFeeMinor;
  const cleanerId = rng.pick(listing.office.cleaners);
  const row: TaskRow = {
    id: idAt(createdMs, rng.bytes(16)),
    propertyId: listing.row.id,
    reservationId: stay.reservationId,
    assigneeId: cleanerId,
    type: 'CLEANING',
    title: 'Turnover clean',
    description: `After a ${stay.checkOut - stay.checkIn}-night stay${stay.turnover ? '; next guests arrive the same day' : ''}`,
    status: done ? 'COMPLETED' : 'PENDING',
    priority: stay.turnover ? 'HIGH' : 'MEDIUM',
    scheduledAt: iso(scheduledMs),
    completedAt: completedMs === null ? null : iso(completedMs),
    dueAt: iso(localTime(ctx, city, stay.checkOut, 15, 15)),
    costMinor: done ? fee : null,
    estimatedCostMinor: fee,
    currency: listing.row.currency,
    tags: stay.turnover ? ['same-day turnover'] : [],
    notes: null,
    attachments: [],
    createdAt: iso(createdMs),
    updatedAt: iso(completedMs ?? createdMs),
  };
  if (completedMs !== null) stay.cleaning = { taskId: row.id, cleanerId, costMinor: fee, completedMs };
  return row;
}

/** Maintenance and inspections every ~6 weeks, and works in progress where a property is closed. */
function upkeep(ctx: Context, listing: Listing, tasks: TaskRow[], ledger: LedgerEntryRow[]): void {
  const { rng } = ctx;
  const visits: [number, UpkeepType, string][] = [];
  const end = Math.min(listing.to, ctx.today + 30);
  for (let day = listing.from + rng.int(0, 45); day < end; day += 1 + Math.floor(rng.exponential(45))) {
    const type = rng.weighted(UPKEEP_TYPES);
    visits.push([day, type, rng.pick(UPKEEP_TITLES[type])]);
  }
  if (listing.blocked) visits.push([listing.blocked[0], 'MAINTENANCE', 'Renovation works']);
  for (const [day, type, title] of visits) {
    const task = upkeepTask(ctx, listing, day, type, title);
    tasks.push(task);
    const cost = maintenanceCost(ctx, listing, task);
    if (cost) ledger.push(cost);
  }
}

function upkeepTask(ctx: Context, listing: Listing, day: number, type: UpkeepType, title: string): TaskRow {
  const { rng } = ctx;
  const { city, unit } = listing.office;
  const scheduledMs = localTime(ctx, city, day, 9, 16);
  const createdMs = clamp(scheduledMs - rng.int(1, 14) * DAY_MS, listing.createdMs, ctx.nowMs);
  const status = upkeepStatus(ctx, listing, day);
  const completedMs = status === 'COMPLETED' ? scheduledMs + rng.int(60, 240) * MINUTE_MS : null;
  // Inspections cost nothing extra; repairs from a small fraction of a night's price up to more than one.
  const estimate = type === 'MAINTENANCE' ? roundNice(city.nightly * (0.15 + 1.2 * rng.next() ** 2)) * unit : null;
  return {
    id: idAt(createdMs, rng.bytes(16)),
    propertyId: listing.row.id,
    reservationId: null,
    assigneeId: rng.pick(listing.office.maintenance),
    type,
    title,
    description: null,
    status,
    priority: rng.weighted(PRIORITIES),
    scheduledAt: iso(scheduledMs),
    completedAt: completedMs === null ? null : iso(completedMs),
    dueAt: iso(scheduledMs + 3 * DAY_MS),
    costMinor: completedMs === null ? null : estimate,
    estimatedCostMinor: estimate,
    currency: estimate === null ? null : listing.row.currency,
    tags: [],
    notes: null,
    attachments: [],
    createdAt: iso(createdMs),
    updatedAt: iso(completedMs ?? createdMs),
  };
}

/** A completed repair's cost: the worker is paid a day or two after the job. */
function maintenanceCost(ctx: Context, listing: Listing, task: TaskRow): LedgerEntryRow | null {
  if (!task.completedAt || task.costMinor == null || !task.assigneeId) return null;
  const completedMs = Date.parse(task.completedAt);
  return entry(ctx, clamp(completedMs + ctx.rng.int(1, 48) * HOUR_MS, completedMs, ctx.nowMs), {
    type: 'MAINTENANCE_COST',
    category: 'maintenance',
    userId: task.assigneeId,
    propertyId: listing.row.id,
    taskId: task.id,
    amountMinor: task.costMinor,
    currency: listing.row.currency,
    paymentMethod: 'bank_transfer',
    description: task.title,
  });
}

function upkeepStatus(ctx: Context, listing: Listing, day: number): TaskRow['status'] {
  if (listing.blocked && day === listing.blocked[0]) return 'IN_PROGRESS';
  if (day < ctx.today) return ctx.rng.chance(0.9) ? 'COMPLETED' : 'CANCELLED';
  return ctx.rng.chance(0.92) ? 'PENDING' : 'ON_HOLD';
}

// ---- Ledger ----

/**
 * A stay's money: the guest's payment when booked, refunded if the stay was cancelled; after
 * check-out, the cleaner's pay, the agency's commission and the owner's payout, which with the
 * channel's fee add up to the total.
 */
function recordStay(ctx: Context, stay: Stay, ledger: LedgerEntryRow[]): void {
  if (stay.paidMs === null || !stay.guest) return;
  const payment = guestPayment(ctx, stay, stay.guest.id, stay.paidMs);
  ledger.push(payment);
  if (stay.refundMs !== null) ledger.push(refund(ctx, stay, payment, stay.refundMs));
  else if (stay.checkOut < ctx.today && (stay.status === 'CHECKED_OUT' || stay.status === 'NO_SHOW')) {
    settle(ctx, stay, payment.platformFeeMinor ?? 0, ledger);
  }
}

function guestPayment(ctx: Context, stay: Stay, guestId: string, paidMs: number): LedgerEntryRow {
  const { rng } = ctx;
  const { row } = stay.listing;
  const method = paymentMethod(rng, stay.source);
  return entry(ctx, paidMs, {
    propertyId: row.id,
    reservationId: stay.reservationId,
    currency: row.currency,
    type: 'GUEST_PAYMENT',
    category: 'booking',
    userId: guestId,
    amountMinor: stay.totalMinor,
    platformFeeMinor: shareOf(stay.totalMinor, PLATFORM_FEE_BP[stay.source] ?? 0),
    transactionFeeMinor: method.card ? shareOf(stay.totalMinor, CARD_FEE_BP) : 0,
    paymentMethod: method.name,
    paymentGatewayId: method.gateway,
    gatewayReference:
      method.gateway === 'stripe' ? `ch_${rng.uint32().toString(36)}${rng.uint32().toString(36)}` : null,
    description: `Stay ${dateOf(stay.checkIn)} to ${dateOf(stay.checkOut)}`,
  });
}

function refund(ctx: Context, stay: Stay, payment: LedgerEntryRow, refundMs: number): LedgerEntryRow {
  return entry(ctx, refundMs, {
    propertyId: payment.propertyId,
    reservationId: stay.reservationId,
    currency: payment.currency,
    type: 'REFUND',
    category: 'cancellation',
    userId: payment.userId,
    referenceEntryId: payment.id,
    amountMinor: payment.amountMinor,
    paymentMethod: payment.paymentMethod,
    description: 'Refund of a cancelled stay',
  });
}

function settle(ctx: Context, stay: Stay, platformFeeMinor: number, ledger: LedgerEntryRow[]): void {
  const { rng } = ctx;
  const { row, office } = stay.listing;
  const { cleaning, totalMinor } = stay;
  if (cleaning) {
    ledger.push(
      entry(ctx, cleaning.completedMs + rng.int(1, 6) * HOUR_MS, {
        propertyId: row.id,
        reservationId: stay.reservationId,
        currency: row.currency,
        type: 'CLEANING_COST',
        category: 'cleaning',
        userId: cleaning.cleanerId,
        taskId: cleaning.taskId,
        amountMinor: cleaning.costMinor,
        paymentMethod: 'bank_transfer',
        description: 'Turnover clean',
      }),
    );
  }
  const settledMs = localTime(ctx, office.city, stay.checkOut, 13, 23);
  const agencyMinor = shareOf(totalMinor - platformFeeMinor, AGENCY_COMMISSION_BP);
  const payoutMinor = totalMinor - platformFeeMinor - agencyMinor - (cleaning?.costMinor ?? 0);
  ledger.push(
    entry(ctx, settledMs, {
      propertyId: row.id,
      reservationId: stay.reservationId,
      currency: row.currency,
      type: 'AGENCY_FEE',
      category: 'commission',
      userId: row.ownerId,
      amountMinor: agencyMinor,
      description: 'Agency commission: 20% after channel fees',
    }),
    entry(ctx, settledMs + rng.int(1, 30) * MINUTE_MS, {
      propertyId: row.id,
      reservationId: stay.reservationId,
      currency: row.currency,
      type: 'OWNER_PAYOUT',
      category: 'payout',
      userId: row.ownerId,
      amountMinor: Math.max(0, payoutMinor),
      paymentMethod: 'bank_transfer',
      description: 'Owner payout: total less channel fee, commission and cleaning',
    }),
  );
}

function paymentMethod(rng: Random, source: string): { name: string; gateway: string | null; card: boolean } {
  if (source === 'airbnb' || source === 'vrbo') return { name: 'platform', gateway: source, card: false };
  if (source === 'booking') return { name: 'card', gateway: 'booking', card: true };
  return rng.chance(0.75)
    ? { name: 'card', gateway: 'stripe', card: true }
    : { name: 'bank_transfer', gateway: null, card: false };
}

type EntryInput = Pick<LedgerEntryRow, 'type' | 'category' | 'userId' | 'amountMinor' | 'currency'> &
  Partial<
    Pick<
      LedgerEntryRow,
      | 'propertyId'
      | 'reservationId'
      | 'taskId'
      | 'referenceEntryId'
      | 'platformFeeMinor'
      | 'transactionFeeMinor'
      | 'paymentMethod'
      | 'paymentGatewayId'
      | 'gatewayReference'
      | 'description'
    >
  >;

function entry(ctx: Context, ms: number, input: EntryInput): LedgerEntryRow {
  const platformFeeMinor = input.platformFeeMinor ?? 0;
  const transactionFeeMinor = input.transactionFeeMinor ?? 0;
  const at = iso(ms);
  return {
    id: idAt(ms, ctx.rng.bytes(16)),
    userId: input.userId,
    propertyId: input.propertyId ?? null,
    reservationId: input.reservationId ?? null,
    taskId: input.taskId ?? null,
    referenceEntryId: input.referenceEntryId ?? null,
    type: input.type,
    category: input.category,
    amountMinor: input.amountMinor,
    currency: input.currency,
    description: input.description ?? null,
    paymentMethod: input.paymentMethod ?? null,
    paymentGatewayId: input.paymentGatewayId ?? null,
    gatewayReference: input.gatewayReference ?? null,
    platformFeeMinor,
    transactionFeeMinor,
    netAmountMinor: input.amountMinor - platformFeeMinor - transactionFeeMinor,
    status: 'COMPLETED',
    processedAt: at,
    metadata: null,
    notes: null,
    createdAt: at,
  };
}

// ---- Helpers ----

function isActive(status: ReservationStatus): boolean {
  return status !== 'CANCELLED' && status !== 'NO_SHOW';
}

/** A random local time of day in [fromHour, toHour], approximated with the city's standard offset. */
function localTime(ctx: Context, city: City, day: number, fromHour: number, toHour: number): number {
  const minutes = ctx.rng.int(fromHour * 60, toHour * 60);
  return day * DAY_MS + minutes * MINUTE_MS - city.utcOffset * HOUR_MS;
}

/** 1 at the height of the high season (mid-July, or mid-January down south), -1 six months later. */
function seasonOf(city: City, day: number): number {
  const peak = city.southern ? 15 : 195; // day numbers of 1970-01-16 and 1970-07-15
  return Math.cos((2 * Math.PI * (day - peak)) / 365.25);
}

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Prices people would set: 135, 1850, 18500 rather than 133.7. */
function roundNice(value: number): number {
  const step = Math.max(1, 10 ** Math.floor(Math.log10(value) - 1) / 2);
  return Math.max(step, Math.round(value / step) * step);
}

/** Largest-remainder split of `total` by weight, at least one each. */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map((x) => Math.max(1, Math.floor(x)));
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k++, left--) {
    const i = byRemainder[k % byRemainder.length]?.[1] ?? 0;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

function byCreatedAt<T extends { createdAt: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function flagOf(country: string): string {
  return String.fromCodePoint(...[...country].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

function phoneNumber(rng: Random, prefix: string): string {
  return `${prefix} ${rng.int(200, 999)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}

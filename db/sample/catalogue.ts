// The places, names and weights the sample data is drawn from.
import type { PropertyType, ReservationStatus, TaskPriority } from '../domain/enums.js';
import type { Weighted } from './random.js';

/** "a, b, c" → ['a', 'b', 'c']: keeps long lists of names on one line. */
export const list = (names: string): readonly string[] => names.split(', ');

/** Weighted choices from { value: weight }. */
export const mix = <T extends string>(weights: Partial<Record<T, number>>): Weighted<T> =>
  Object.entries(weights) as [T, number][];

/** Weighted small numbers: weights[n] is the weight of n. */
export const counts = (weights: number[]): Weighted<number> =>
  weights.map((weight, n) => [n, weight] as const).filter(([, weight]) => weight > 0);

export interface City {
  name: string;
  city: string;
  country: string;
  region: string;
  timeZone: string;
  currency: string;
  lat: number;
  lng: number;
  /** Standard offset from UTC in hours; DST is ignored, local hours only need to be plausible. */
  utcOffset: number;
  /** A typical one-bedroom's nightly price, in major units of the currency. */
  nightly: number;
  /** Share of the portfolio. */
  weight: number;
  /** High season peaks in January rather than July. */
  southern: boolean;
  code: string;
  addressStyle: 'street-first' | 'number-first' | 'japanese';
  neighbourhoods: readonly string[];
  streets: readonly string[];
}

// The demo size uses the first four: four currencies, four time zones.
export const CITIES: readonly City[] = [
  {
    name: 'Lisbon',
    city: 'Lisboa',
    country: 'PT',
    region: 'Lisboa',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
    lat: 38.7223,
    lng: -9.1393,
    utcOffset: 0,
    nightly: 110,
    weight: 22,
    southern: false,
    code: 'LIS',
    addressStyle: 'street-first',
    neighbourhoods: list('Alfama, Baixa, Chiado, Príncipe Real, Graça, Mouraria, Santos, Campo de Ourique'),
    streets: list('Rua dos Remédios, Rua Augusta, Rua da Rosa, Rua do Século, Calçada do Combro, Rua de São Bento'),
  },
  {
    name: 'London',
    city: 'London',
    country: 'GB',
    region: 'England',
    timeZone: 'Europe/London',
    currency: 'GBP',
    lat: 51.5074,
    lng: -0.1278,
    utcOffset: 0,
    nightly: 170,
    weight: 14,
    southern: false,
    code: 'LON',
    addressStyle: 'number-first',
    neighbourhoods: list('Shoreditch, Camden, Notting Hill, Soho, Islington, Brixton, Southwark, Kensington'),
    streets: list('Brick Lane, Camden High Street, Portobello Road, Dean Street, Upper Street, Gloucester Road'),
  },
  {
    name: 'New York',
    city: 'New York',
    country: 'US',
    region: 'New York',
    timeZone: 'America/New_York',
    currency: 'USD',
    lat: 40.7128,
    lng: -74.006,
    utcOffset: -5,
    nightly: 230,
    weight: 12,
    southern: false,
    code: 'NYC',
    addressStyle: 'number-first',
    neighbourhoods: list('Williamsburg, Harlem, Chelsea, East Village, Astoria, Park Slope, SoHo, Upper West Side'),
    streets: list('Bedford Avenue, Lenox Avenue, West 22nd Street, Avenue A, Ditmars Boulevard, Amsterdam Avenue'),
  },
  {
    name: 'Tokyo',
    city: 'Tokyo',
    country: 'JP',
    region: 'Tokyo',
    timeZone: 'Asia/Tokyo',
    currency: 'JPY',
    lat: 35.6762,
    lng: 139.6503,
    utcOffset: 9,
    nightly: 18_000,
    weight: 10,
    southern: false,
    code: 'TYO',
    addressStyle: 'japanese',
    neighbourhoods: list('Shibuya, Shinjuku, Asakusa, Ginza, Ebisu, Nakameguro, Ueno, Roppongi'),
    streets: list('Jingumae, Kabukicho, Kaminarimon, Higashi-Ueno, Ebisu-Nishi, Kamimeguro, Nishi-Azabu'),
  },
  {
    name: 'Porto',
    city: 'Porto',
    country: 'PT',
    region: 'Norte',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
    lat: 41.1579,
    lng: -8.6291,
    utcOffset: 0,
    nightly: 90,
    weight: 10,
    southern: false,
    code: 'OPO',
    addressStyle: 'street-first',
    neighbourhoods: list('Ribeira, Baixa, Cedofeita, Foz do Douro, Bonfim, Massarelos'),
    streets: list('Rua das Flores, Rua de Santa Catarina, Rua de Cedofeita, Rua do Almada, Rua de Miguel Bombarda'),
  },
  {
    name: 'Barcelona',
    city: 'Barcelona',
    country: 'ES',
    region: 'Catalonia',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    lat: 41.3874,
    lng: 2.1686,
    utcOffset: 1,
    nightly: 140,
    weight: 10,
    southern: false,
    code: 'BCN',
    addressStyle: 'street-first',
    neighbourhoods: list('Gràcia, El Born, Eixample, Barceloneta, Poble-sec, El Raval, Sant Antoni'),
    streets: list(
      'Carrer de Verdi, Carrer de la Princesa, Carrer del Baluard, Carrer de Blai, Carrer del Comte Borrell',
    ),
  },
  {
    name: 'Miami',
    city: 'Miami',
    country: 'US',
    region: 'Florida',
    timeZone: 'America/New_York',
    currency: 'USD',
    lat: 25.7617,
    lng: -80.1918,
    utcOffset: -5,
    nightly: 210,
    weight: 8,
    southern: false,
    code: 'MIA',
    addressStyle: 'number-first',
    neighbourhoods: list('South Beach, Brickell, Wynwood, Little Havana, Coconut Grove, Edgewater'),
    streets: list('Collins Avenue, Brickell Avenue, NW 2nd Avenue, SW 8th Street, Biscayne Boulevard'),
  },
  {
    name: 'Cape Town',
    city: 'Cape Town',
    country: 'ZA',
    region: 'Western Cape',
    timeZone: 'Africa/Johannesburg',
    currency: 'ZAR',
    lat: -33.9249,
    lng: 18.4241,
    utcOffset: 2,
    nightly: 1_800,
    weight: 6,
    southern: true,
    code: 'CPT',
    addressStyle: 'number-first',
    neighbourhoods: list('Sea Point, Camps Bay, Gardens, De Waterkant, Green Point, Woodstock'),
    streets: list('Beach Road, Victoria Road, Kloof Street, Waterkant Street, Somerset Road'),
  },
  {
    name: 'Sydney',
    city: 'Sydney',
    country: 'AU',
    region: 'New South Wales',
    timeZone: 'Australia/Sydney',
    currency: 'AUD',
    lat: -33.8688,
    lng: 151.2093,
    utcOffset: 10,
    nightly: 260,
    weight: 8,
    southern: true,
    code: 'SYD',
    addressStyle: 'number-first',
    neighbourhoods: list('Bondi, Surry Hills, Manly, Newtown, Darlinghurst, The Rocks'),
    streets: list('Campbell Parade, Crown Street, The Corso, King Street, Victoria Street'),
  },
];

export interface People {
  country: string;
  phone: string;
  first: readonly string[];
  last: readonly string[];
}

export const people = (country: string, phone: string, first: string, last: string): People => ({
  country,
  phone,
  first: list(first),
  last: list(last),
});

export const PEOPLE_LIST: readonly People[] = [
  people(
    'PT',
    '+351',
    'João, Maria, Inês, Tiago, Beatriz, Rui, Ana, Miguel, Sofia, Duarte',
    'Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Gonçalves',
  ),
  people(
    'ES',
    '+34',
    'Lucía, Pablo, Marta, Jordi, Carmen, Javier, Núria, Álvaro, Elena, Marc',
    'García, Martínez, López, Sánchez, Puig, Fernández, Romero, Vidal, Navarro, Ruiz',
  ),
  people(
    'GB',
    '+44',
    'Oliver, Amelia, Harry, Isla, George, Ava, James, Emily, Thomas, Grace',
    'Smith, Jones, Taylor, Brown, Williams, Wilson, Evans, Roberts, Walker, Hughes',
  ),
  people(
    'US',
    '+1',
    'Michael, Emma, Ethan, Olivia, Daniel, Sophia, Jacob, Madison, Tyler, Abigail',
    'Johnson, Miller, Davis, Garcia, Rodriguez, Anderson, Martinez, Thompson, Moore, Jackson',
  ),
  people(
    'JP',
    '+81',
    'Haruto, Yui, Sota, Hina, Ren, Aoi, Yuto, Sakura, Riku, Mei',
    'Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato',
  ),
  people(
    'ZA',
    '+27',
    'Thabo, Lerato, Sipho, Naledi, Pieter, Annelie, Johan, Zanele, Kagiso, Megan',
    'Nkosi, Dlamini, van der Merwe, Botha, Mokoena, Naidoo, Jacobs, Khumalo, Pillay, Smit',
  ),
  people(
    'AU',
    '+61',
    'Jack, Charlotte, Lachlan, Mia, Noah, Chloe, Cooper, Matilda, Riley, Zoe',
    'Smith, Nguyen, Kelly, Wilson, Ryan, Campbell, Murphy, Walsh, Mitchell, Harris',
  ),
  people(
    'FR',
    '+33',
    'Louis, Chloé, Hugo, Camille, Arthur, Léa, Jules, Manon, Gabriel, Inès',
    'Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau',
  ),
  people(
    'DE',
    '+49',
    'Lukas, Hannah, Felix, Lena, Jonas, Mia, Paul, Laura, Maximilian, Anna',
    'Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Hoffmann, Schulz',
  ),
  people(
    'IT',
    '+39',
    'Lorenzo, Giulia, Matteo, Chiara, Leonardo, Francesca, Alessandro, Sara, Davide, Martina',
    'Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco',
  ),
  people(
    'NL',
    '+31',
    'Daan, Emma, Sem, Julia, Lucas, Tess, Milan, Sanne, Finn, Fleur',
    'de Jong, Jansen, de Vries, van den Berg, Bakker, Visser, Smit, Meijer, de Boer, Mulder',
  ),
  people(
    'BR',
    '+55',
    'Gabriel, Ana Clara, Lucas, Júlia, Mateus, Larissa, Rafael, Camila, Gustavo, Beatriz',
    'Souza, Lima, Carvalho, Almeida, Ribeiro, Barbosa, Araújo, Rocha, Dias, Teixeira',
  ),
];

export const PEOPLE = Object.fromEntries(PEOPLE_LIST.map((p) => [p.country, p])) as Record<string, People> & {
  GB: People;
};

export const GUEST_ORIGINS = mix({
  US: 14,
  GB: 13,
  DE: 10,
  FR: 10,
  ES: 8,
  PT: 7,
  IT: 7,
  NL: 6,
  BR: 6,
  AU: 5,
  JP: 5,
  ZA: 3,
});

export const PRIVATE_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

export const PROPERTIES_PER_OWNER = counts([0, 25, 20, 20, 15, 10, 10]);

export const PROPERTY_TYPES_MIX = mix<PropertyType>({
  APARTMENT: 48,
  STUDIO: 14,
  CONDO: 10,
  HOUSE: 12,
  PENTHOUSE: 7,
  VILLA: 9,
});

export const BEDROOMS: Record<PropertyType, Weighted<number>> = {
  STUDIO: counts([1]),
  APARTMENT: counts([0, 45, 40, 15]),
  CONDO: counts([0, 40, 45, 15]),
  HOUSE: counts([0, 0, 30, 45, 25]),
  PENTHOUSE: counts([0, 0, 40, 45, 15]),
  VILLA: counts([0, 0, 0, 30, 40, 20, 10]),
};

export const TYPE_PRICE_FACTOR: Record<PropertyType, number> = {
  STUDIO: 0.75,
  APARTMENT: 1,
  CONDO: 1.05,
  HOUSE: 1.3,
  PENTHOUSE: 1.8,
  VILLA: 2.4,
};

export const TYPE_NOUNS: Record<PropertyType, readonly string[]> = {
  STUDIO: list('Studio'),
  APARTMENT: list('Apartment, Flat, Loft, Residence'),
  CONDO: list('Condo, Suite'),
  HOUSE: list('House, Townhouse, Cottage'),
  PENTHOUSE: list('Penthouse, Sky Loft'),
  VILLA: list('Villa, Retreat'),
};

export const PROPERTY_STATUS_MIX = mix({ ACTIVE: 95, INACTIVE: 3, MAINTENANCE: 2 });

export const ADJECTIVES = list(
  'Sunny, Bright, Cosy, Quiet, Charming, Modern, Elegant, Airy, Hidden, Classic, Garden, Rooftop',
);

export const DESCRIPTION_TAILS = [
  'a short walk to cafés, markets and public transport.',
  'recently renovated, with fast wifi and a proper desk.',
  'quiet at night, lively by day.',
  'ideal for families and longer stays.',
  'great light all afternoon.',
];

export const ACCESS_NOTES = [
  'Keybox by the front door; the code is sent on the day of arrival.',
  'Smart lock: guests get a personal code 24 hours before check-in.',
  'Meet-and-greet at the door; call the agent 30 minutes before arrival.',
  'Keys at the concierge desk in the lobby; guests show ID.',
  'Lockbox behind the garden gate; the code is in the welcome message.',
];

export const PROPERTY_TAGS = list(
  'city centre, family friendly, business ready, pet friendly, long stays, new listing, luxury, quiet street, great view, near metro',
);

export const BASE_AMENITIES = list('wifi, kitchen, heating, smoke alarm');

export const EXTRA_AMENITIES = list(
  'washer, dryer, air conditioning, tv, workspace, parking, pool, elevator, balcony, dishwasher, coffee machine, hair dryer, iron, crib, bbq grill, garden',
);

export const HOUSE_RULES = list(
  'No parties or events, Quiet hours 22:00–08:00, No pets, Check-in from 15:00, Check-out by 11:00, No shoes inside',
);

/** Empty nights between stays. */
export const GAP_NIGHTS = counts([34, 22, 15, 10, 8, 6, 5]);

/** Nights per stay: mode three, a bump at a week, a thin tail to two weeks. */
export const STAY_NIGHTS = counts([0, 7, 15, 19, 15, 11, 8, 10, 3, 2, 3, 1, 1, 1, 4]);

export const SOURCES = mix({ airbnb: 45, booking: 30, direct: 15, vrbo: 10 });

export const PAST_STATUSES = mix<ReservationStatus>({ CHECKED_OUT: 92, CANCELLED: 6, NO_SHOW: 2 });
export const FUTURE_STATUSES = mix<ReservationStatus>({ CONFIRMED: 85, PENDING: 7, CANCELLED: 8 });

export const PARTY_SIZES = counts([0, 18, 45, 13, 14, 4, 4, 0, 2]);

export const SPECIAL_REQUESTS = [
  'Late arrival, around 23:00.',
  'Travelling with a baby: a cot, please.',
  'Early check-in if possible.',
  'Celebrating an anniversary.',
  'Need a parking space for one car.',
  'Allergic to feathers: synthetic pillows, please.',
];

export type UpkeepType = 'MAINTENANCE' | 'INSPECTION';

export const UPKEEP_TYPES = mix<UpkeepType>({ MAINTENANCE: 65, INSPECTION: 35 });

export const UPKEEP_TITLES: Record<UpkeepType, readonly string[]> = {
  MAINTENANCE: list(
    'Fix leaking tap, Replace smoke alarm battery, Service air conditioning, Repair window latch, Replace kettle, Unclog shower drain, Touch up wall paint, Fix wobbly dining chair',
  ),
  INSPECTION: list('Quarterly inspection, Pre-season inspection, Inventory check, Safety equipment check'),
};

export const PRIORITIES = mix<TaskPriority>({ LOW: 30, MEDIUM: 45, HIGH: 20, URGENT: 5 });

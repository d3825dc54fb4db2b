import type { SimChannel, SimUser } from '../slack';

export interface Persona extends SimUser {
  /** What this person may do in the demo, shown in the user switcher. */
  role: string;
}

/** The people of the demo workspace; the page acts as any of them. */
export const PERSONAS = {
  operator: { id: 'U0DEMOOSCAR', name: 'oscar', realName: 'Oscar Okafor', role: 'operator' },
  approver: { id: 'U0DEMOALICE', name: 'alice', realName: 'Alice Andersen', role: 'approver' },
  secondApprover: {
    id: 'U0DEMOBOBBY',
    name: 'bob',
    realName: 'Bob Brennan',
    role: 'second approver (@platform-leads)',
  },
  guest: {
    id: 'U0DEMOGUSTA',
    name: 'gus',
    realName: 'Gus Guerrero',
    role: 'guest (restricted account)',
    isRestricted: true,
  },
} as const satisfies Record<string, Persona>;

export const APPROVER_GROUP = { id: 'S0DEMOLEADS', handle: 'platform-leads', users: [PERSONAS.secondApprover.id] };

export const CHANNELS = {
  ops: { id: 'C0DEMOPLATFORM', name: 'platform-ops' },
  aks: { id: 'C0DEMOAKSPROD', name: 'aks-prod' },
} as const satisfies Record<string, SimChannel>;

export const PERSONA_LIST: Persona[] = Object.values(PERSONAS);
export const CHANNEL_LIST: SimChannel[] = Object.values(CHANNELS);

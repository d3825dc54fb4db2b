import type { ResourceBehaviour } from '../context';
import { ageColumn, nameColumn } from '../table';
import type { LeaseObject } from '../types';
import { RESOURCES } from './infos';

export const leaseBehaviour: ResourceBehaviour<LeaseObject> = {
  info: RESOURCES.leases,
  columns: [nameColumn, { name: 'Holder', cell: (obj) => (obj as LeaseObject).spec?.holderIdentity ?? '' }, ageColumn],
};

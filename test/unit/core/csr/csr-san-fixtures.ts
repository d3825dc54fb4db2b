// Subject alternative name extensions built byte by byte, for requests no ordinary tool would make.
import { name, oid, seq, tlv, UTF8 } from '../x509/der-builder';

export const OID_SAN = '2.5.29.17';

/** A SAN extension value holding one directoryName: `DirName:/CN=<cn>/O=<org>`. */
export const directoryNameSan = (cn: string, org: string) =>
  seq(tlv(0xa4, name([[['2.5.4.3', UTF8, cn]], [['2.5.4.10', UTF8, org]]])));
/** One otherName of type UPN (a Windows logon name). */
export const otherNameSan = (upn: string) => seq(tlv(0xa0, oid('1.3.6.1.4.1.311.20.2.3'), tlv(0xa0, tlv(UTF8, upn))));
/** One registeredID. */
export const registeredIdSan = (dotted: string) => seq(tlv(0x88, oid(dotted).subarray(2)));
/** One dNSName, as a second SAN extension would carry it. */
export const dnsSan = (dns: string) => seq(tlv(0x82, dns));

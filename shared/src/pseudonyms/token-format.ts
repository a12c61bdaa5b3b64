// How a pseudonym reads, without the crypto that makes one: the REST schemas
// and the dashboard (a browser bundle) check tokens with this file alone.
//   u_<16 hex>  user      ip_<16 hex>  address      h_<16 hex>  host name
//   d_<16 hex>  device serial
//   p_<class>_d<depth>_<16 hex><.ext>   path (its shape stays readable)

export const pseudonymKinds = ['user', 'path', 'ip', 'host', 'device'] as const;
export type PseudonymKind = (typeof pseudonymKinds)[number];

export const pseudonymPrefixes: Record<PseudonymKind, string> = {
  user: 'u',
  path: 'p',
  ip: 'ip',
  host: 'h',
  device: 'd',
};

export const pathFolderClasses = ['phi', 'system', 'removable', 'other'] as const;
export type PathFolderClass = (typeof pathFolderClasses)[number];

/** 16 hex digits = 64 bits: collisions are negligible within one site. */
export const TOKEN_HEX_LENGTH = 16;

/** What a path token keeps in clear: the signal, not the identity. */
export interface PathShape {
  folderClass: PathFolderClass;
  /** Path components below the folder that gives the class (from the root for `other`). */
  depth: number;
  /** `.pdf` for a well-known extension, `.~<6 hex>` for any other, or empty. */
  extension: string;
}

/** `p_<class>_d<depth>_<mac><.ext>`: the one spelling of a path token. */
export function formatPathToken(mac: string, shape: PathShape): string {
  const depth = Math.max(0, Math.min(999, Math.trunc(shape.depth)));
  return `p_${shape.folderClass}_d${depth}_${mac}${shape.extension}`;
}

export interface ParsedPseudonym {
  kind: PseudonymKind;
  mac: string;
  /** Only for paths. */
  shape?: PathShape;
}

const SIMPLE = /^(u|ip|h|d)_([0-9a-f]{16})$/;
const PATH = /^p_(phi|system|removable|other)_d(\d{1,3})_([0-9a-f]{16})(\.(?:[a-z0-9]{1,10}|~[0-9a-f]{6}))?$/;
const kindByPrefix: Record<string, PseudonymKind> = { u: 'user', ip: 'ip', h: 'host', d: 'device' };

/** Reads a token back into its kind and MAC; undefined when it is not one of ours. */
export function parsePseudonym(token: string): ParsedPseudonym | undefined {
  const simple = SIMPLE.exec(token);
  if (simple) return { kind: kindByPrefix[simple[1]], mac: simple[2] };
  const path = PATH.exec(token);
  if (path)
    return {
      kind: 'path',
      mac: path[3],
      shape: { folderClass: path[1] as PathFolderClass, depth: Number(path[2]), extension: path[4] ?? '' },
    };
  return undefined;
}

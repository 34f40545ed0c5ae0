import { readFileSync } from 'node:fs';
import { catalogFile, type CatalogFile } from './catalog-file.ts';
import type { Catalog } from './catalog.ts';

export const seedCatalogPath = new URL('./seed.json', import.meta.url);

export function readCatalogFile(path: string | URL): CatalogFile {
  return catalogFile.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Loads the demo catalog on first start only, so a merchant's own catalog is never overwritten. */
export async function seedIfEmpty(catalog: Catalog, now: number, path: string | URL = seedCatalogPath): Promise<boolean> {
  return catalog.loadIfEmpty(readCatalogFile(path), { actor: 'catalog-upload', now });
}

/**
 * Authorization server metadata (RFC 8414). Its location is derived from the issuer: RFC 8414 §3
 * inserts `/.well-known/oauth-authorization-server` between the host and the issuer's path;
 * OpenID Connect Discovery appends `/.well-known/openid-configuration` to the issuer instead.
 */
import { send, type Exchange } from './http.ts';

export interface MetadataLocations {
  /** RFC 8414 §3: the well-known suffix inserted before the issuer's path. */
  inserted: string;
  /** OpenID Connect Discovery 1.0 §4: the suffix appended to the issuer. */
  appended: string;
}

export function metadataLocations(issuer: string): MetadataLocations {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return {
    inserted: `${url.origin}/.well-known/oauth-authorization-server${path}`,
    appended: `${url.origin}${path}/.well-known/openid-configuration`,
  };
}

/** True for http: on a loopback host: a local test target, where https-only requirements are not tested. */
export function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && (hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname));
}

export interface FoundMetadata {
  exchange: Exchange;
  document?: Record<string, unknown>;
}

export interface Metadata {
  inserted: FoundMetadata;
  appended: FoundMetadata;
  /** The document to use: the RFC 8414 one, else the OpenID one; undefined when neither is published. */
  document?: Record<string, unknown>;
}

function documentOf(exchange: Exchange): Record<string, unknown> | undefined {
  const json = exchange.response.json;
  return exchange.response.status === 200 && json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

/** GETs both locations of the issuer's metadata. */
export async function fetchMetadata(issuer: string): Promise<Metadata> {
  const locations = metadataLocations(issuer);
  const [inserted, appended] = await Promise.all([send({ url: locations.inserted }), send({ url: locations.appended })]);
  const found = (exchange: Exchange): FoundMetadata => ({ exchange, document: documentOf(exchange) });
  const result = { inserted: found(inserted), appended: found(appended) };
  return { ...result, document: result.inserted.document ?? result.appended.document };
}

/** A metadata member that is a list of strings; undefined when absent (RFC 8414 defaults then apply). */
export function listMember(document: Record<string, unknown>, name: string): string[] | undefined {
  const value = document[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

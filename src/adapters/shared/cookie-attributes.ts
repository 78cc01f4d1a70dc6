/**
 * The cookie attributes a stored session may carry, as the `cookie` package (which express-session
 * and @fastify/cookie send cookies with) accepts them. A stored value it refuses would make the
 * framework throw while it sends the response.
 */

/** `Domain` values the `cookie` package accepts (RFC 6265 4.1.1). */
const DOMAIN_PATTERN =
  /^([.]?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)([.][a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** `Path` values the `cookie` package accepts (RFC 6265 4.1.1). */
const PATH_PATTERN = /^[\u0020-\u003A\u003D-\u007E]*$/;
const SAME_SITES = ["lax", "strict", "none"];
const PRIORITIES = ["low", "medium", "high"];

/** Whether `value` is a cookie `Domain` the `cookie` package sends: a domain, or `""` (none). */
export function isCookieDomain(value: unknown): value is string {
  return typeof value === "string" && (value === "" || DOMAIN_PATTERN.test(value));
}

/** Whether `value` is a cookie `Path` the `cookie` package sends. */
export function isCookiePath(value: unknown): value is string {
  return typeof value === "string" && PATH_PATTERN.test(value);
}

/** Whether `value` is a `SameSite` the `cookie` package sends: a boolean, or lax, strict or none. */
export function isSameSite(value: unknown): value is boolean | string {
  return (
    typeof value === "boolean" ||
    (typeof value === "string" && SAME_SITES.includes(value.toLowerCase()))
  );
}

/** Whether `value` is a `Priority` the `cookie` package sends: low, medium or high. */
export function isPriority(value: unknown): value is string {
  return typeof value === "string" && PRIORITIES.includes(value.toLowerCase());
}

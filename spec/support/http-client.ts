/** What a request answered. */
export interface Reply {
  status: number;
  text: string;
}

/**
 * A browser stand-in over real HTTP: one cookie jar, which keeps every cookie a server sets and
 * forgets one the server clears (an empty value, `Max-Age=0` or less, or an expiry in 1970).
 */
export class Client {
  private readonly cookies = new Map<string, string>();
  /** The `Set-Cookie` headers of the last response. */
  setCookies: string[] = [];

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<Reply> {
    const response = await fetch(this.baseUrl + path, {
      headers: this.cookies.size === 0 ? {} : { cookie: this.cookieHeader },
      redirect: "manual",
    });
    this.setCookies = response.headers.getSetCookie();
    for (const setCookie of this.setCookies) this.keep(setCookie);
    return { status: response.status, text: await response.text() };
  }

  /** The same browser, cookies and all, talking to another server. */
  at(baseUrl: string): Client {
    const moved = new Client(baseUrl);
    for (const [name, value] of this.cookies) moved.cookies.set(name, value);
    return moved;
  }

  /** The `Cookie` header this browser sends. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /**
   * The value of the cookie `name`, URI-decoded.
   *
   * @throws Error when the browser holds no such cookie.
   */
  cookie(name: string): string {
    const value = this.cookies.get(name);
    if (value === undefined) throw new Error(`no ${name} cookie (cookies: ${this.cookieHeader})`);
    return decodeURIComponent(value);
  }

  /** Whether the browser holds the cookie `name`. */
  has(name: string): boolean {
    return this.cookies.has(name);
  }

  private keep(setCookie: string): void {
    const [pair = "", ...attributes] = setCookie.split(";").map((part) => part.trim());
    const equals = pair.indexOf("=");
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const cleared =
      value === "" ||
      attributes.some((attribute) => {
        const [key = "", setting = ""] = attribute.split("=");
        if (key.toLowerCase() === "max-age") return Number(setting) <= 0;
        return key.toLowerCase() === "expires" && setting.includes("1970");
      });
    if (cleared) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

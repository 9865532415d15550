/**
 * The session hint: a cookie the server sets beside the HttpOnly refresh cookie (same lifetime, cleared with it on
 * sign-out or a refused refresh). It is readable by page scripts and says only "this browser may have a session",
 * never who: so a signed-out visit to an app page goes straight to the landing page, and no page asks
 * `/api/auth/refresh` (a 401 in the console) when there is nothing to refresh.
 */
export const SESSION_HINT_COOKIE = "studio_session";

// Log in / Sign up card: tabs, inline validation, clear API errors, 429 countdown.
import { $, component$, type Signal, useSignal, useStore } from "@builder.io/qwik";
import { useNavigate } from "@builder.io/qwik-city";
import { formatDuration } from "~/lib/format";
import { ApiError, describeError } from "~/lib/http";
import { login, register } from "~/lib/session";

export type AuthMode = "login" | "signup";

export const MIN_PASSWORD_LENGTH = 8;

interface AuthFormState {
  busy: boolean;
  error: string;
  emailError: string;
  passwordError: string;
  /** Epoch ms until which the server asked us to wait (429). */
  retryUntil: number;
  now: number;
  emailTaken: boolean;
}

export const AuthPanel = component$<{ mode: Signal<AuthMode> }>(({ mode }) => {
  const nav = useNavigate();
  const showPassword = useSignal(false);
  const state = useStore<AuthFormState>({
    busy: false,
    error: "",
    emailError: "",
    passwordError: "",
    retryUntil: 0,
    now: 0,
    emailTaken: false,
  });

  // Counts down a 429's Retry-After; started from the error handler, so the form needs no code before it is used.
  const startCountdown = $((until: number) => {
    state.retryUntil = until;
    state.now = Date.now();
    const timer = setInterval(() => {
      state.now = Date.now();
      if (state.retryUntil !== until || state.now >= until) {
        clearInterval(timer);
        if (state.retryUntil === until) {
          state.retryUntil = 0;
          state.error = "";
        }
      }
    }, 1000);
  });

  const switchMode = $((next: AuthMode) => {
    mode.value = next;
    state.error = "";
    state.emailError = "";
    state.passwordError = "";
    state.emailTaken = false;
  });

  const applyError = $((err: unknown) => {
    if (!(err instanceof ApiError)) {
      state.error = "Something went wrong. Please try again.";
      return;
    }
    if (err.status === 401) {
      state.error = "Invalid email or password.";
    } else if (err.status === 409) {
      state.error = "An account with this email already exists.";
      state.emailTaken = true;
    } else if (err.status === 429) {
      const wait = err.retryAfterSeconds ?? 60;
      state.error = "Too many attempts.";
      void startCountdown(Date.now() + wait * 1000);
    } else {
      const { message, details } = describeError(err);
      state.error = message;
      for (const d of err.details) {
        if (d.path.endsWith("email")) state.emailError = d.message;
        else if (d.path.endsWith("password")) state.passwordError = d.message;
      }
      if (details.length && !state.emailError && !state.passwordError) state.error = `${message} ${details.join(" ")}`;
    }
  });

  const submit = $(async (_: SubmitEvent, form: HTMLFormElement) => {
    const data = new FormData(form);
    const email = String(data.get("email") ?? "").trim();
    const password = String(data.get("password") ?? "");
    const isSignup = mode.value === "signup";

    state.error = "";
    state.emailTaken = false;
    state.emailError = /^\S+@\S+\.\S+$/.test(email) ? "" : "Enter a valid email address.";
    state.passwordError =
      password.length === 0
        ? "Enter your password."
        : isSignup && password.length < MIN_PASSWORD_LENGTH
          ? `Use at least ${MIN_PASSWORD_LENGTH} characters.`
          : "";
    if (state.emailError || state.passwordError) {
      form.querySelector<HTMLInputElement>(state.emailError ? "#auth-email" : "#auth-password")?.focus();
      return;
    }

    state.busy = true;
    try {
      const user = isSignup ? await register(email, password) : await login(email, password);
      await nav(user.onboarding_completed ? "/benchmark/" : "/onboarding/");
    } catch (err) {
      await applyError(err);
    } finally {
      state.busy = false;
    }
  });

  const isSignup = mode.value === "signup";
  const waitSeconds = state.retryUntil ? Math.max(0, Math.ceil((state.retryUntil - state.now) / 1000)) : 0;
  const locked = waitSeconds > 0;

  return (
    <div class="auth-card card" id="auth">
      <div class="auth-tabs" role="tablist" aria-label="Account">
        <button
          type="button"
          role="tab"
          id="tab-login"
          aria-selected={!isSignup}
          aria-controls="auth-panel"
          class={`auth-tab${!isSignup ? " is-active" : ""}`}
          data-testid="tab-login"
          onClick$={() => switchMode("login")}
        >
          Log in
        </button>
        <button
          type="button"
          role="tab"
          id="tab-signup"
          aria-selected={isSignup}
          aria-controls="auth-panel"
          class={`auth-tab${isSignup ? " is-active" : ""}`}
          data-testid="tab-signup"
          onClick$={() => switchMode("signup")}
        >
          Sign up
        </button>
      </div>

      <form
        id="auth-panel"
        role="tabpanel"
        aria-labelledby={isSignup ? "tab-signup" : "tab-login"}
        class="auth-form"
        data-testid={isSignup ? "signup-form" : "login-form"}
        noValidate
        preventdefault:submit
        onSubmit$={submit}
      >
        <h2 class="auth-title">{isSignup ? "Create your account" : "Welcome back"}</h2>
        <p class="muted small auth-sub">{isSignup ? "Free, no credit card. Start with the built-in simulator." : "Log in to your studio."}</p>

        <div class="field">
          <label for="auth-email">Email</label>
          <input
            id="auth-email"
            name="email"
            type="email"
            autoComplete={isSignup ? "email" : "username"}
            required
            placeholder="you@example.com"
            aria-invalid={state.emailError ? "true" : undefined}
            aria-describedby={state.emailError ? "auth-email-error" : undefined}
          />
          {state.emailError && (
            <p id="auth-email-error" class="field-error">
              {state.emailError}
            </p>
          )}
        </div>

        <div class="field">
          <label for="auth-password">Password</label>
          <div class="input-with-action">
            <input
              id="auth-password"
              name="password"
              type={showPassword.value ? "text" : "password"}
              autoComplete={isSignup ? "new-password" : "current-password"}
              required
              minLength={isSignup ? MIN_PASSWORD_LENGTH : undefined}
              aria-invalid={state.passwordError ? "true" : undefined}
              aria-describedby={`auth-password-hint${state.passwordError ? " auth-password-error" : ""}`}
            />
            <button
              type="button"
              class="input-action"
              aria-pressed={showPassword.value}
              aria-label={showPassword.value ? "Hide password" : "Show password"}
              onClick$={() => (showPassword.value = !showPassword.value)}
            >
              {showPassword.value ? "Hide" : "Show"}
            </button>
          </div>
          <p id="auth-password-hint" class="field-hint">
            {isSignup ? `At least ${MIN_PASSWORD_LENGTH} characters.` : "Minimum 8 characters."}
          </p>
          {state.passwordError && (
            <p id="auth-password-error" class="field-error">
              {state.passwordError}
            </p>
          )}
        </div>

        {state.error && (
          <div class="form-alert" role="alert" data-testid="auth-error">
            <span>
              {state.error}
              {locked && ` Try again in ${formatDuration(waitSeconds)}.`}
            </span>
            {state.emailTaken && (
              <button type="button" class="link-btn" onClick$={() => switchMode("login")}>
                Log in instead
              </button>
            )}
          </div>
        )}

        <button type="submit" class="btn btn-primary btn-block" data-testid="auth-submit" disabled={state.busy || locked}>
          {state.busy
            ? isSignup
              ? "Creating account…"
              : "Logging in…"
            : locked
              ? `Wait ${formatCountdown(waitSeconds)}`
              : isSignup
                ? "Create account"
                : "Log in"}
        </button>

        <p class="muted small auth-switch">
          {isSignup ? "Already have an account? " : "New here? "}
          <button type="button" class="link-btn" onClick$={() => switchMode(isSignup ? "login" : "signup")}>
            {isSignup ? "Log in" : "Create an account"}
          </button>
        </p>
      </form>
    </div>
  );
});

function formatCountdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

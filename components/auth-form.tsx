'use client';

import { useState, type FormEvent } from 'react';
import { ApiError, apiFetch } from '@/lib/client/api';
import { CredentialsSchema } from '@/lib/validation';

export type AuthMode = 'login' | 'register';

type Field = 'username' | 'password';

type FieldErrors = Partial<Record<Field, string>>;

interface Credentials {
  username: string;
  password: string;
}

const LABEL: Record<Field, string> = {
  username: 'Username',
  password: 'Password',
};

const HINT: Record<Field, string> = {
  username: '3 to 32 characters: lowercase letters, digits or underscores.',
  password: 'At least 8 characters.',
};

/** Checks the fields before a round trip; the server checks them again. */
function validate(mode: AuthMode, input: Credentials): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.username) errors.username = 'Enter a username.';
  if (!input.password) errors.password = 'Enter a password.';
  if (mode === 'login') return errors;

  const parsed = CredentialsSchema.safeParse(input);
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0];
    if (field !== 'username' && field !== 'password') continue;
    errors[field] ??= `${LABEL[field]} ${issue.message}.`;
  }

  return errors;
}

function focusFirstInvalid(form: HTMLFormElement, errors: FieldErrors): void {
  const field = (['username', 'password'] as const).find(
    (name) => errors[name],
  );
  if (field) form.querySelector<HTMLInputElement>(`[name="${field}"]`)?.focus();
}

function readForm(form: HTMLFormElement): Credentials {
  const data = new FormData(form);

  return {
    username: String(data.get('username') ?? '').trim(),
    password: String(data.get('password') ?? ''),
  };
}

/** The login and sign-up form; on success the whole page reloads. */
export function AuthForm(props: { mode: AuthMode; next: string | null }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const input = readForm(form);
    const found = validate(props.mode, input);
    setErrors(found);
    setServerError(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(form, found);
      return;
    }

    setIsSubmitting(true);
    try {
      await apiFetch(`/api/auth/${props.mode}`, {
        method: 'POST',
        body: input,
      });
      // A full load, not a client navigation: the layout must read the new
      // cookie and the socket must connect with the new token.
      window.location.assign(props.next ?? '/');
    } catch (caught) {
      setServerError(
        caught instanceof ApiError
          ? caught.message
          : 'Something went wrong. Try again.',
      );
      setIsSubmitting(false);
    }
  };

  const isRegister = props.mode === 'register';

  return (
    <form className="stack" method="post" onSubmit={submit} noValidate>
      <AuthField
        field="username"
        type="text"
        autoComplete="username"
        hint={isRegister ? HINT.username : undefined}
        error={errors.username}
      />
      <AuthField
        field="password"
        type="password"
        autoComplete={isRegister ? 'new-password' : 'current-password'}
        hint={isRegister ? HINT.password : undefined}
        error={errors.password}
      />
      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={isSubmitting}>
        {submitLabel(props.mode, isSubmitting)}
      </button>
    </form>
  );
}

function submitLabel(mode: AuthMode, isSubmitting: boolean): string {
  if (mode === 'login') return isSubmitting ? 'Logging in…' : 'Log in';

  return isSubmitting ? 'Creating account…' : 'Create account';
}

function AuthField(props: {
  field: Field;
  type: 'text' | 'password';
  autoComplete: string;
  hint?: string;
  error?: string;
}) {
  const id = `auth-${props.field}`;
  // The error restates the rule, so the hint steps aside while it shows.
  const hintId = props.hint && !props.error ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ');

  return (
    <div className="field">
      <label htmlFor={id}>{LABEL[props.field]}</label>
      <input
        id={id}
        name={props.field}
        type={props.type}
        autoComplete={props.autoComplete}
        autoCapitalize="none"
        spellCheck={false}
        required
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {props.error && (
        <span id={errorId} className="form-error">
          {props.error}
        </span>
      )}
      {props.hint && !props.error && (
        <span id={hintId} className="field-hint">
          {props.hint}
        </span>
      )}
    </div>
  );
}

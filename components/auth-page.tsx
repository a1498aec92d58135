import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentSession } from '@/lib/session';
import { AuthForm, type AuthMode } from './auth-form';

export type SearchParams = Promise<
  Record<string, string | string[] | undefined>
>;

/**
 * Where to go after logging in: only a path on this site. `//evil.com`
 * and `/\evil.com` are read by browsers as other hosts, so they are out.
 */
function safeNext(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string') return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;

  return value.startsWith('/\\') ? null : value;
}

const COPY: Record<AuthMode, { title: string; intro: string }> = {
  login: {
    title: 'Log in',
    intro: 'Welcome back. Your offers and balance are where you left them.',
  },
  register: {
    title: 'Create an account',
    intro: 'Every new account starts with play money to bet with.',
  },
};

/**
 * The shared shell of /login and /register. Someone already signed in is
 * sent on to where they were going instead of seeing the form again.
 */
export async function AuthPage(props: {
  mode: AuthMode;
  searchParams: SearchParams;
}) {
  const next = safeNext((await props.searchParams).next);
  const { session } = await currentSession();
  if (session) redirect(next ?? '/');

  const copy = COPY[props.mode];

  return (
    <div className="auth-page">
      <section className="card stack" aria-labelledby="auth-heading">
        <div>
          <h1 id="auth-heading">{copy.title}</h1>
          <p className="muted">{copy.intro}</p>
        </div>
        <AuthForm mode={props.mode} next={next} />
        <SwitchLink mode={props.mode} next={next} />
        {props.mode === 'login' && (
          <p className="field-hint">
            Demo accounts: <strong>alice</strong>, <strong>bob</strong> and{' '}
            <strong>admin</strong>, all with the password{' '}
            <strong>password123</strong>.
          </p>
        )}
      </section>
    </div>
  );
}

function SwitchLink({ mode, next }: { mode: AuthMode; next: string | null }) {
  const query = next ? `?next=${encodeURIComponent(next)}` : '';

  return mode === 'login' ? (
    <p>
      New here? <Link href={`/register${query}`}>Create an account</Link>
    </p>
  ) : (
    <p>
      Already have an account? <Link href={`/login${query}`}>Log in</Link>
    </p>
  );
}

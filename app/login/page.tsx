import type { Metadata } from 'next';
import { AuthPage, type SearchParams } from '@/components/auth-page';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage(props: { searchParams: SearchParams }) {
  return <AuthPage mode="login" searchParams={props.searchParams} />;
}

import type { Metadata } from 'next';
import { AuthPage, type SearchParams } from '@/components/auth-page';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Create an account' };

export default function RegisterPage(props: { searchParams: SearchParams }) {
  return <AuthPage mode="register" searchParams={props.searchParams} />;
}

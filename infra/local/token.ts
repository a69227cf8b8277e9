/** `npm run token -- <sub> [email]`: a token the local API accepts, signed with LOCAL_JWT_SECRET. */
import { DEFAULT_LOCAL_SECRET, signLocalToken } from './jwt';

const [sub, email] = process.argv.slice(2);
if (!sub) {
  console.error('usage: npm run token -- <sub> [email]');
  process.exit(2);
}
const token = await signLocalToken(process.env.LOCAL_JWT_SECRET ?? DEFAULT_LOCAL_SECRET, sub, {
  ...(email ? { email } : {}),
  expiresIn: process.env.TOKEN_TTL ?? '12h',
});
console.log(token);

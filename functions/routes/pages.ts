import { JoinInput, JoinView, RegistrationInput, RegistrationReceipt } from '../../domain/registration';
import { route } from './route';

/** The business's public page: CTVs register on it, or join it with their account. */
export const pageRoutes = {
  register: route({
    id: 'registerOnPage',
    method: 'POST',
    path: '/v1/pages/{pageId}/registrations',
    handler: 'functions/handlers/pages/register.ts',
    auth: 'public',
    table: 'write',
    body: RegistrationInput,
    summary:
      'Self-registration as a CTV (optional REF ID of the referrer). A new phone and one already in the business get the same 202 receipt (a new phone makes a CTV, a known one changes nothing); the CTV sees their REF ID by signing in and joining. Rate-limited per client IP and per page',
    tag: 'pages',
    responses: { 202: RegistrationReceipt },
  }),
  join: route({
    id: 'joinPage',
    method: 'POST',
    path: '/v1/pages/{pageId}/join',
    handler: 'functions/handlers/pages/join.ts',
    auth: 'jwt',
    table: 'write',
    body: JoinInput,
    summary:
      "The signed-in account becomes a CTV of the page's business (a new CTV, or the existing one with this phone when the token proves its email or phone) and gets the collaborator role",
    tag: 'pages',
    // the phone belongs to another account
    errors: [409],
    responses: { 201: JoinView, 200: JoinView },
  }),
};

import { JoinInput, JoinView, RegistrationInput, RegistrationView } from '../../domain/registration';
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
      'Self-registration as a CTV (optional REF ID of the referrer); a phone already registered answers 200 with that registration; rate-limited',
    tag: 'pages',
    responses: { 201: RegistrationView, 200: RegistrationView },
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
    responses: { 201: JoinView, 200: JoinView },
  }),
};

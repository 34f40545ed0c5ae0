/** One email, as the outbox stores it and a transport sends it. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

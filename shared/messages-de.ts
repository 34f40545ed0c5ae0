/**
 * German for the words the server and the widget both say (./messages.ts has the English): the
 * widget's German pack and the server's German emails take them from here, so a decline reads
 * the same in the panel and in the recovery email.
 */
import type { declineMessages } from './messages.ts';

export const declineMessagesDe: Readonly<Record<keyof typeof declineMessages, string>> = {
  paymentFailed: 'Deine Zahlung ist nicht durchgegangen.',
  cardDeclined: 'Deine Karte wurde abgelehnt.',
  insufficientFunds: 'Deine Karte ist nicht ausreichend gedeckt.',
  expiredCard: 'Deine Karte ist abgelaufen.',
  incorrectCvc: 'Die Prüfnummer (CVC) deiner Karte ist falsch.',
  incorrectNumber: 'Deine Kartennummer ist falsch.',
  processingError: 'Bei der Verarbeitung deiner Karte ist ein Fehler aufgetreten. Bitte versuche es erneut.',
  authenticationFailed: 'Die Sicherheitsprüfung der Bank (3D Secure) wurde nicht abgeschlossen.',
};

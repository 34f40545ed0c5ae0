/** The emails' words in German, every key of ./en.ts; the declines are the widget's (shared/messages-de.ts). */
import { declineMessagesDe } from '../../../shared/messages-de.ts';
import type { MailWords } from './en.ts';

export const de: MailWords = {
  ...declineMessagesDe,
  item: 'Artikel',
  qty: 'Menge',
  price: 'Preis',
  subtotal: 'Zwischensumme',
  discount: 'Rabatt',
  discountCode: 'Rabatt ({code})',
  shipping: 'Versand',
  shippingRate: 'Versand ({rate})',
  tax: 'Steuer',
  total: 'Gesamt',
  shipsTo: 'Lieferung an',
  refundTiming: 'Der Betrag erscheint meist innerhalb von 5 bis 10 Werktagen auf deiner Abrechnung.',

  confirmationSubject: '{shop}: Bestellung {number} bestätigt',
  confirmationTitle: 'Danke! Bestellung {number} ist bestätigt',
  confirmationIntro: 'Deine Zahlung ist eingegangen, und wir machen deine Bestellung fertig.',
  visitShop: 'Zu {shop}',

  failedSubject: '{shop}: Deine Zahlung ist nicht durchgegangen',
  failedTitle: 'Deine Zahlung ist nicht durchgegangen',
  failedNext: 'Wir halten deine Artikel für dich bereit. Du kannst mit derselben oder einer anderen Karte erneut bezahlen:',
  completePayment: 'Zahlung abschließen',
  linkFallback: 'Falls der Button nicht funktioniert, öffne diesen Link:',

  reminderSubject: '{shop}: Dein Warenkorb wartet',
  reminderTitle: 'Du hast etwas in deinem Warenkorb gelassen',
  reminderNext: 'Dein Warenkorb ist gespeichert. Mach da weiter, wo du aufgehört hast:',
  returnToCart: 'Zurück zum Warenkorb',
  reminderOptOut: 'Du bekommst diese E-Mail, weil du einen Bezahlvorgang begonnen hast. Keine Erinnerungen mehr:',
  unsubscribe: 'abmelden',

  attentionSubject: '{shop}: Bestellung {number} konnte nicht abgeschlossen werden',
  attentionTitle: 'Bestellung {number} konnte nicht abgeschlossen werden',
  attentionRefunded: 'Wir haben dir den vollen Betrag von {amount} auf deine Karte erstattet. {timing}',
  attentionOnHold: 'Deine Bestellung ist angehalten, während wir uns das ansehen. Wir melden uns bald.',
  attentionSorry: 'Entschuldige die Umstände.',
  attentionStockGone: 'Ein Artikel war ausverkauft, während deine Zahlung abgeschlossen wurde.',
  attentionCouponGone: 'Dein Rabattcode war aufgebraucht, während deine Zahlung abgeschlossen wurde.',
  attentionAmountMismatch: 'Der bezahlte Betrag passte nicht zu deiner Bestellung.',

  refundSubject: '{shop}: {amount} für Bestellung {number} erstattet',
  refundTitle: 'Erstattung für Bestellung {number}',
  refundBody: 'Wir haben dir {amount} auf deine Karte erstattet. {timing}',
};

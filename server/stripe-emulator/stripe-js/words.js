// Part of the Stripe.js stand-in: the words its Elements show, in the languages it speaks. Stripe
// localizes "all text that Elements displays, including labels, placeholders, buttons, and error
// messages" to the Elements group's `locale`, the browser's language when it is `auto` or unset
// (https://docs.stripe.com/js/elements_object/create); not the wallets' own sheets, which "use the
// customer's browser or device language" (the same page): the sheet stand-in asks for the browser's.
// The stand-in speaks English and German; any other locale gets English.

const STAND_IN_WORDS = {
  en: {
    fullName: 'Full name', country: 'Country or region', line1: 'Address line 1', line2: 'Address line 2 (optional)', city: 'City',
    state: 'State', province: 'Province', prefecture: 'Prefecture', postalCode: 'Postal code', zip: 'ZIP',
    fieldIncomplete: 'This field is incomplete.', postalInvalid: 'Your {label} is invalid.', postalIncomplete: 'Your {label} is incomplete.',
    addressNote: 'Test mode: Stripe emulator Address Element.',
    paymentMethod: 'Payment method', card: 'Card', cardNumber: 'Card number', expiry: 'Expiry (MM / YY)', expiryPlaceholder: 'MM / YY', cvc: 'CVC',
    numberInvalid: 'Your card number is invalid.', numberIncomplete: 'Your card number is incomplete.',
    expiryInvalid: "Your card's expiration date is invalid.", expiryIncomplete: "Your card's expiration date is incomplete.",
    expiryYearPast: "Your card's expiration year is in the past.", expiryPast: "Your card's expiration date is in the past.",
    cvcIncomplete: "Your card's security code is incomplete.", cardPostalIncomplete: 'Your postal code is incomplete.',
    cardNote: 'Test mode: Stripe emulator. Use a Stripe test card such as 4242 4242 4242 4242.',
    paypalNote: "After you pay you'll be sent to PayPal's page (the emulator's test page) to finish, then brought back here.",
    walletTest: '(test)', walletCard: 'Visa •••• 4242 (test card)', walletPay: 'Pay', walletCancel: 'Cancel',
  },
  de: {
    fullName: 'Vollständiger Name', country: 'Land oder Region', line1: 'Adresszeile 1', line2: 'Adresszeile 2 (optional)', city: 'Ort',
    state: 'Bundesstaat', province: 'Provinz', prefecture: 'Präfektur', postalCode: 'Postleitzahl', zip: 'Postleitzahl',
    fieldIncomplete: 'Dieses Feld ist unvollständig.', postalInvalid: 'Ihre Postleitzahl ist ungültig.', postalIncomplete: 'Ihre Postleitzahl ist unvollständig.',
    addressNote: 'Testmodus: Address Element des Stripe-Emulators.',
    paymentMethod: 'Zahlungsmethode', card: 'Karte', cardNumber: 'Kartennummer', expiry: 'Ablaufdatum (MM / JJ)', expiryPlaceholder: 'MM / JJ', cvc: 'Prüfnummer',
    numberInvalid: 'Ihre Kartennummer ist ungültig.', numberIncomplete: 'Ihre Kartennummer ist unvollständig.',
    expiryInvalid: 'Das Ablaufdatum Ihrer Karte ist ungültig.', expiryIncomplete: 'Das Ablaufdatum Ihrer Karte ist unvollständig.',
    expiryYearPast: 'Das Ablaufjahr Ihrer Karte liegt in der Vergangenheit.', expiryPast: 'Das Ablaufdatum Ihrer Karte liegt in der Vergangenheit.',
    cvcIncomplete: 'Die Prüfnummer Ihrer Karte ist unvollständig.', cardPostalIncomplete: 'Ihre Postleitzahl ist unvollständig.',
    cardNote: 'Testmodus: Stripe-Emulator. Verwenden Sie eine Stripe-Testkarte wie 4242 4242 4242 4242.',
    paypalNote: 'Nach dem Bezahlen werden Sie zur Seite von PayPal (der Testseite des Emulators) weitergeleitet und danach hierher zurückgebracht.',
    walletTest: '(Test)', walletCard: 'Visa •••• 4242 (Testkarte)', walletPay: 'Bezahlen', walletCancel: 'Abbrechen',
  },
};

/** The words for an Elements group's `locale` option ('de', 'de-AT', 'auto', none). */
function standInWords(locale) {
  const tag = !locale || locale === 'auto' ? navigator.language : String(locale);
  const words = STAND_IN_WORDS[tag.split('-')[0].toLowerCase()] || STAND_IN_WORDS.en;
  return (key, label) => words[key].replace('{label}', label || '');
}

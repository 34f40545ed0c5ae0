/**
 * The one rounding rule of the project: half away from zero.
 * Every money computation that divides goes through `divideRounded`, so a change of rule
 * happens here and nowhere else.
 */
export function divideRounded(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    throw new RangeError(`divideRounded needs safe integers and a non-zero denominator: ${numerator}/${denominator}`);
  }
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  const quotient = Math.floor(n / d);
  const remainder = n - quotient * d;
  // Compare 2r with d in integers: no floating-point halves to misjudge.
  const rounded = remainder * 2 >= d ? quotient + 1 : quotient;
  return sign * rounded || 0;
}

/** `numerator / denominator` rounded (as above) to a multiple of `step`: an amount a currency can charge (ISK in whole krónur). */
export function divideRoundedToStep(numerator: number, denominator: number, step: number): number {
  return divideRounded(numerator, denominator * step) * step;
}

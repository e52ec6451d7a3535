// An alias's weighted split (RoutingConfig.AdditionalVersionWeights): each invocation independently
// goes to the additional version with its weight's probability, else to the alias's own version.
import type { AliasRecord } from '../../registry/registry.js';

/** `random` returns [0, 1), like Math.random (the host's injectable source). */
export function pickAliasVersion(alias: AliasRecord, random: () => number): string {
  const [additional] = Object.entries(alias.additionalVersionWeights);
  if (!additional) return alias.functionVersion;
  const [version, weight] = additional;
  return random() < weight ? version : alias.functionVersion;
}

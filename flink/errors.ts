/**
 * Flink's failure kinds, so callers can tell a rejected configuration from a bug. The messages
 * are Flink's own words: a harness compares them byte for byte.
 */

/** Flink's IllegalConfigurationException: the configuration is inconsistent or unreadable. */
export class IllegalConfigurationError extends Error {
  override readonly name = 'IllegalConfigurationError';
}

/**
 * Flink's IllegalArgumentException / ArithmeticException escaping the memory utilities (an
 * unparsable float, a long overflow). Flink does not wrap these in its "... memory configuration
 * failed: " prefix, so neither do we.
 */
export class FlinkArgumentError extends Error {
  override readonly name = 'FlinkArgumentError';
}

/** The redaction engine's compiled rules, as the engine and its partial-match search share them. */
import type { Matcher } from './patterns.js';

/** One encoded form of one secret, as searched for. */
export interface SecretForm {
  text: string;
  mask: string;
  /** Only whole-token occurrences count (forms of short secrets). */
  token: boolean;
}

export interface Engine {
  active: boolean;
  /** Forms searched in the text with ANSI escapes removed. */
  plainForms: SecretForm[];
  /** base64 forms of long secrets, searched with line breaks removed as well (MIME wrapping). */
  wrappedForms: SecretForm[];
  matchers: Matcher[];
  /** Trailing characters a stream holds back for the regex rules. */
  regexHold: number;
  /** Trailing characters (of each searched view) a stream holds back for the secret forms. */
  plainHold: number;
  wrappedHold: number;
  /** The forms a size limit or an ellipsis can leave part of. */
  partial: PartialIndex;
}

/** The forms a cut can leave part of, by their first and by their last MIN_PARTIAL characters. */
export interface PartialIndex {
  byStart: Map<string, SecretForm[]>;
  byEnd: Map<string, SecretForm[]>;
  longest: number;
}

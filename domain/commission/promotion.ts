/**
 * Levels at a month's close (DOMAIN.md "Collaborators"; API.md `levels.promotion`). A plan version
 * may carry `levels: { promotion: [{ level, minQuantity, minAverageStars }], demotion }`; at the
 * close of a month, by the version in force on its last day, each approved CTV moves up to the
 * highest level whose thresholds the month's figures meet — the quantity of its month's volume
 * (as frozen at the close: kept at the cut-off) and the average stars of the ratings recorded in
 * the month — and, with `demotion: true`, also down to it (level 1 when none is met). Without
 * demotion a CTV never moves down: a level set by hand above what the month earns stays.
 *
 * Choices where DOMAIN.md is silent (docs/nightly.md, "Levels"):
 *   - a level may be reached directly (1 → 3) when the month meets its thresholds;
 *   - only CTVs approved at the close move (a paused or blocked CTV keeps its level: it does not earn);
 *   - a star threshold is not met without ratings (as for awards); a threshold that is null or absent
 *     is met by anyone.
 */
import type { Level } from '../entities/collaborator';
import { meetsStars, type Levels } from './plan';
import type { RatingStats } from './period';

/** What a month's close knows of a CTV for its level. */
export interface LevelFacts {
  level: Level;
  /** approved at the close: only they move */
  canEarn: boolean;
  /** Σ kept quantity of the month's volume */
  quantity: number;
  /** ratings recorded in the month, null when none */
  ratings: RatingStats | null;
}

export interface LevelDecision {
  from: Level;
  to: Level;
  /** null: the level stays */
  move: 'promotion' | 'demotion' | null;
  /** the highest level whose thresholds the month met (1 when none) */
  met: Level;
}

/** The highest level whose thresholds the month's figures meet; 1 when none is met. */
export function levelMet(rules: Levels, facts: Pick<LevelFacts, 'quantity' | 'ratings'>): Level {
  let best: Level = 1;
  for (const rule of rules.promotion) {
    const level = rule.level as Level;
    if (level <= best) continue;
    if (rule.minQuantity !== undefined && rule.minQuantity !== null && facts.quantity < rule.minQuantity) continue;
    if (!meetsStars(rule.minAverageStars, facts.ratings ?? undefined)) continue;
    best = level;
  }
  return best;
}

/** Where a CTV's level goes at the month's close under the plan's `levels` (none: it stays). */
export function decideLevel(rules: Levels | undefined, facts: LevelFacts): LevelDecision {
  const from = facts.level;
  if (!rules || !facts.canEarn) return { from, to: from, move: null, met: from };
  const met = levelMet(rules, facts);
  const to: Level = rules.demotion === true || met > from ? met : from;
  return { from, to, move: to > from ? 'promotion' : to < from ? 'demotion' : null, met };
}

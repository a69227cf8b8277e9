import { okrScore } from '../../../domain/okr/okr';
import type { StoredObjective } from '../../store/okr';

/** An objective as clients see it: each key result's progress and the objective's score. */
export function objectiveView(o: StoredObjective) {
  const scored = okrScore([o]).objectives[0]!;
  return { ...o, keyResults: scored.keyResults, scoreBp: scored.scoreBp };
}

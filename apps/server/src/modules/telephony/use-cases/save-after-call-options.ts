/**
 * The after-call options on the telephony settings page: the callback task's due time and the new-caller rules.
 * A deal rule must name a stage that exists; a rule set that would turn every call of a new number into a
 * record is saved only once the admin confirms it (issue 12, "Bad input").
 */
import { AppError } from '../../../platform/errors/errors.js';
import { createsForEveryCall } from '../domain/after-call-policy.js';
import type { AfterCallOptions, AfterCallOptionsStore, PipelineStages } from '../ports.js';

/** Saves the options, refusing what cannot work and what needs a confirmation first. */
export async function saveAfterCallOptions(
  ports: { readonly options: AfterCallOptionsStore; readonly pipelines: PipelineStages },
  change: Partial<AfterCallOptions> & { readonly confirmCreateForEveryCall?: boolean },
): Promise<AfterCallOptions> {
  const { confirmCreateForEveryCall, ...patch } = change;
  if (patch.newCallerRules) {
    for (const [index, rule] of patch.newCallerRules.entries()) {
      if (rule.action !== 'deal' && (rule.pipelineId !== null || rule.stageId !== null)) {
        throw new AppError('SB_ERR_VALIDATION', 'only a deal rule names a pipeline and stage', [
          { path: `newCallerRules.${index}.stageId`, message: 'only for a deal' },
        ]);
      }
      if (rule.action === 'deal' && !(await ports.pipelines.exists(rule.pipelineId, rule.stageId))) {
        throw new AppError('SB_ERR_VALIDATION', 'the stage of a deal rule does not exist', [
          { path: `newCallerRules.${index}.stageId`, message: 'is not an open stage of the pipeline' },
        ]);
      }
    }
    if (createsForEveryCall(patch.newCallerRules) && confirmCreateForEveryCall !== true) {
      throw new AppError(
        'SB_ERR_CONFIRMATION_REQUIRED',
        'these rules create a record for every call of a new number, spam and wrong numbers included',
        [{ path: 'confirmCreateForEveryCall', message: 'must be true to save rules that match every call' }],
      );
    }
  }
  return ports.options.update(patch);
}

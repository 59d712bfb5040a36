import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import type { EntityPath } from '../api/queries.js';
import { useT } from '../i18n/useT.js';
import { mapServerErrors } from '../lib/form-errors.js';

/**
 * Creates (POST) or updates (PATCH) a record from a Mantine form and puts the server's validation messages under
 * the fields. Why: every create/edit form in the app validates the same way.
 */
export function useSaveEntity<
  Values extends Record<string, unknown>,
  Result extends { id: string },
>(options: {
  entity: EntityPath;
  id?: string;
  form: UseFormReturnType<Values>;
  toBody?: (values: Values) => unknown;
  onSaved?: (record: Result) => void;
}) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const fields = Object.keys(options.form.values);
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const body = options.toBody ? options.toBody(values) : values;
      return options.id
        ? api.patch<Result>(`/${options.entity}/${options.id}`, body)
        : api.post<Result>(`/${options.entity}`, body);
    },
    onMutate: () => setFormErrors([]),
    onSuccess: async (record) => {
      await queryClient.invalidateQueries({ queryKey: [options.entity] });
      notifications.show({ color: 'green', message: t('common.saved') });
      options.onSaved?.(record);
    },
    onError: (error) => {
      const { fieldErrors, rest } = mapServerErrors(error, fields);
      options.form.setErrors(fieldErrors);
      setFormErrors(rest);
    },
  });
  return { mutation, formErrors };
}

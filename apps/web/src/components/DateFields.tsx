// Every date input of the app: written and typed in the app's language (FR jj/mm/aaaa, RU дд.мм.гггг), never in
// the browser's, with Mantine's calendar beside it. Values stay ISO, as the server exchanges them.
import { DateInput, type DateInputProps, DateTimePicker, type DateTimePickerProps } from '@mantine/dates';
import { useT } from '../i18n/useT.js';
import { dateInputFormat, parseTypedDate } from '../lib/date-input-format.js';

type DateFieldProps = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser'> & {
  /** `YYYY-MM-DD`, or null / empty for no date. */
  value: string | null | undefined;
  onChange: (iso: string | null) => void;
};

/** A day, typed (`05/12/2026` in French) or picked; gives `YYYY-MM-DD` once the typed date is complete. */
export function DateField({ value, onChange, ...rest }: DateFieldProps) {
  const { t, locale } = useT();
  return (
    <DateInput
      placeholder={t('date.placeholder')}
      clearable
      fixOnBlur
      {...rest}
      valueFormat={dateInputFormat(locale)}
      dateParser={(text) => parseTypedDate(text, locale)}
      value={value || null}
      onChange={(next) => onChange(next ? next.slice(0, 10) : null)}
    />
  );
}

/** A day and a time, picked; written in the app's language (12-hour clock in English, as Intl's `en` writes it). */
export function DateTimeField(props: Omit<DateTimePickerProps, 'valueFormat'>) {
  const { t, locale } = useT();
  return (
    <DateTimePicker
      placeholder={t('date.placeholderWithTime')}
      timePickerProps={{ format: locale === 'en' ? '12h' : '24h' }}
      {...props}
      valueFormat={dateInputFormat(locale, true)}
    />
  );
}

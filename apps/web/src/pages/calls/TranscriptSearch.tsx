import { TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/useT.js';

/**
 * The call log's "said in the call" search: the calls whose transcript contains the words typed. The words are
 * searched when Enter is pressed or the box is left (not at each keystroke: each search scans the transcripts), and
 * only from two characters on, as the API asks.
 */
export function SaidSearch({ value, onSearch }: { value: string; onSearch: (words: string) => void }) {
  const { t } = useT();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    const words = text.trim();
    if (words !== value && (words.length === 0 || words.length >= 2)) {
      onSearch(words);
    }
  };
  return (
    <TextInput
      size="xs"
      type="search"
      label={t('calls.said')}
      placeholder={t('calls.saidPlaceholder')}
      leftSection={<IconSearch size={14} />}
      value={text}
      maxLength={100}
      onChange={(event) => setText(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          commit();
        }
      }}
      onBlur={commit}
      w={220}
      data-testid="calls-said"
    />
  );
}

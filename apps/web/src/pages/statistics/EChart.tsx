import { Center, Loader } from '@mantine/core';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/useT.js';

type Setup = typeof import('./echarts-setup.js');
let loading: Promise<Setup> | null = null;

/** echarts, imported once on first use. */
function loadECharts(): Promise<Setup> {
  loading ??= import('./echarts-setup.js');
  return loading;
}

/** What a click on a data point names: the series and the point's data (as given in the option). */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  data: unknown;
}

/**
 * One echarts chart: loads echarts lazily, renders `option` in the user's language, follows the container's
 * size, and reports clicks (every cell opens the calls behind it).
 */
export function EChart({
  option,
  height,
  onClick,
  testId,
  label,
}: {
  option: EChartsCoreOption;
  height: number;
  onClick?: (click: ChartClick) => void;
  testId?: string;
  label: string;
}) {
  const { locale } = useT();
  const element = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    let disposed = false;
    let instance: EChartsType | null = null;
    let observer: ResizeObserver | null = null;
    loadECharts().then(({ echarts }) => {
      if (disposed || !element.current) {
        return;
      }
      instance = echarts.init(element.current, undefined, {
        locale: locale.toUpperCase(),
        renderer: 'canvas',
      });
      instance.on('click', (params) => {
        const p = params as unknown as ChartClick;
        clickRef.current?.({ seriesIndex: p.seriesIndex, dataIndex: p.dataIndex, data: p.data });
      });
      observer = new ResizeObserver(() => instance?.resize());
      observer.observe(element.current);
      setChart(instance);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
      setChart(null);
    };
  }, [locale]);

  useEffect(() => {
    chart?.setOption(option, { notMerge: true });
  }, [chart, option]);

  return (
    <div style={{ position: 'relative', height }} data-testid={testId} role="img" aria-label={label}>
      <div
        ref={element}
        style={{ position: 'absolute', inset: 0, cursor: onClick ? 'pointer' : undefined }}
      />
      {!chart && (
        <Center h={height}>
          <Loader size="sm" />
        </Center>
      )}
    </div>
  );
}

// echarts, tree-shaken to what the statistics draw (echarts/core: heatmap, line, bar; canvas), with its own
// texts in French and Russian registered. Loaded only by the statistics page (a dynamic import), so no other
// page pays for it.
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import langFR from 'echarts/i18n/langFR-obj.js';
import langRU from 'echarts/i18n/langRU-obj.js';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
echarts.registerLocale('FR', langFR);
echarts.registerLocale('RU', langRU);

export { echarts };

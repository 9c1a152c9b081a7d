// The portal's custom ECharts build (static/vendor/README.md): only the charts and components that
// static/js/charts.js draws, exposed as window.echarts like the full bundle.
import { init, use, getInstanceByDom } from "echarts/core";
import { BarChart, LineChart, HeatmapChart, PieChart } from "echarts/charts";
import { GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, TitleComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, HeatmapChart, PieChart, GridComponent, TooltipComponent, LegendComponent,
     VisualMapComponent, TitleComponent, CanvasRenderer]);
window.echarts = { init: init, use: use, getInstanceByDom: getInstanceByDom };

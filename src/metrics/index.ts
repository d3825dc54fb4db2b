export { X509Gauges } from './x509-gauges';
export { locationLabels, type LocationLabels } from './location-labels';
